"""The directory of collectives, its search by place and its .json/.csv twins."""

import csv
import io

from technopolice.testing.cases import BaseTestCase

from .factories import CollectiveFactory, add_member, add_organiser
from .world import build_collectives

LIST = "/en/collectifs/"
JSON = "/en/collectifs/collectifs.json"
CSV = "/en/collectifs/collectifs.csv"


class DirectoryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_collectives(cls)

    def slugs(self, query: str = "") -> list[str]:
        response = self.client.get(LIST + query)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return [collective.slug for collective in response.context["table"].rows]

    def rows(self, query: str = "") -> list[dict]:
        response = self.client.get(JSON + query)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()["rows"]

    def test_it_lists_listed_collectives_only_by_name(self):
        slugs = self.slugs()
        self.assertEqual(
            slugs,
            [
                "am-libres",
                "cagnois",
                "sainte",
                "technopolice-marseille",
                "technopolice-nice",
                "vigilance-cannes",
            ],
        )
        self.assertNotIn("nice-en-attente", [row["slug"] for row in self.rows()])

    def test_it_finds_a_name_without_its_accents_or_case(self):
        self.assertEqual(self.slugs("?q=SAINTE metropole"), ["sainte"])
        self.assertEqual(self.slugs("?q=Métropole"), ["sainte"])
        self.assertEqual(self.slugs("?q=technopolice+nice"), ["technopolice-nice"])
        self.assertEqual(self.slugs("?q=paris"), [])

    def test_it_filters_by_department_and_activity(self):
        in_department = self.slugs("?department=alpes-maritimes")
        self.assertEqual(in_department, ["am-libres", "cagnois", "technopolice-nice", "vigilance-cannes"])
        self.assertEqual(self.slugs("?activity=dormant"), ["sainte"])
        self.assertNotIn("sainte", self.slugs("?activity=active"))

    def test_near_a_commune_lists_nearer_first_within_the_radius(self):
        rows = self.rows("?near=Nice")  # 20 km by default
        self.assertEqual(
            [(row["slug"], row["distance_km"]) for row in rows],
            [("am-libres", 0.0), ("technopolice-nice", 0.0), ("cagnois", 10.4)],
        )
        wider = self.rows("?near=Nice&radius=30")
        self.assertEqual([row["slug"] for row in wider][-1], "vigilance-cannes")
        self.assertEqual(wider[-1]["distance_km"], 26.5)
        self.assertEqual(
            len(self.rows("?near=Nice&radius=200")), 5
        )  # Marseille at 159.5 km, not Saint-Étienne

    def test_a_department_wide_collective_is_as_near_as_the_nearest_commune_of_its_department(self):
        # From Marseille, the Alpes-Maritimes' nearest commune within 200 km is Cannes (133 km away).
        rows = {row["slug"]: row["distance_km"] for row in self.rows("?near=Marseille&radius=200")}
        self.assertEqual(rows["technopolice-marseille"], 0.0)
        self.assertEqual(rows["am-libres"], rows["vigilance-cannes"])
        self.assertLess(rows["vigilance-cannes"], rows["technopolice-nice"])

    def test_the_commune_is_found_as_the_site_finds_communes(self):
        self.assertEqual(self.slugs("?near=eze&radius=5"), ["am-libres"])  # Èze: accents and case ignored
        self.assertEqual(self.slugs("?near=06027&radius=1"), ["am-libres", "cagnois"])  # an INSEE code
        self.assertEqual(self.slugs("?near=Cagnes-sur-Mer (06)&radius=1"), ["am-libres", "cagnois"])

    def test_other_filters_apply_to_a_search_by_place(self):
        self.assertEqual(self.slugs("?near=Nice&q=cagnois"), ["cagnois"])
        self.assertEqual(self.slugs("?near=Nice&radius=200&activity=dormant"), [])

    def test_the_page_says_where_it_searched_and_how_far_each_collective_is(self):
        response = self.client.get(LIST + "?near=Nice&radius=15")
        self.assertContains(response, "3 collectives within 15 km of Nice, nearest first.")
        self.assertContains(response, "10.4 km")
        self.assertContains(response, 'href="/en/collectifs/collectifs.json?near=Nice&amp;radius=15"')
        self.assertNotContains(self.client.get(LIST), " km</span>")  # no distance without a place

    def test_a_bad_radius_is_a_clear_400_not_a_500(self):
        for radius, message in [
            ("500", "The radius must be at most 200 km."),
            ("0", "The radius must be at least 1 km."),
            ("far", "The radius must be a whole number of kilometres, like 20."),
        ]:
            response = self.client.get(LIST + f"?near=Nice&radius={radius}")
            self.assertContains(response, message, status_code=400)
            error = self.client.get(JSON + f"?near=Nice&radius={radius}").json()
            self.assertEqual(error, {"ok": False, "error": {"status": 400, "message": message}})

    def test_an_unknown_or_ambiguous_commune_is_a_clear_400(self):
        response = self.client.get(LIST + "?near=Atlantis")
        self.assertContains(response, "Unknown commune: Atlantis.", status_code=400)
        self.assertEqual(self.client.get(CSV + "?near=Atlantis").status_code, 400)
        response = self.client.get(LIST + "?near=Sans-Centre")
        self.assertContains(response, "The centre of Sans-Centre (06) is not known", status_code=400)

    def test_unknown_filter_values_are_a_clear_400(self):
        self.assertContains(
            self.client.get(LIST + "?department=atlantide"), "Unknown department", status_code=400
        )
        self.assertContains(self.client.get(LIST + "?activity=asleep"), "Unknown activity", status_code=400)
        self.assertContains(
            self.client.get(LIST + "?near=" + "x" * 201), "at most 200 characters", status_code=400
        )

    def test_it_answers_only_to_reading(self):
        self.assertEqual(self.client.post(LIST).status_code, 405)
        self.assertEqual(self.client.post(JSON).status_code, 405)

    def test_the_error_speaks_the_visitor_s_language(self):
        response = self.client.get("/collectifs/?near=Atlantis")
        self.assertContains(response, "Commune inconnue : Atlantis.", status_code=400)

    def test_pages_keep_the_filters(self):
        response = self.client.get(JSON + "?near=Nice&_size=2")
        body = response.json()
        self.assertEqual((body["count"], len(body["rows"])), (3, 2))
        self.assertIn("near=Nice", body["next"])
        self.assertEqual([row["slug"] for row in self.client.get(body["next"]).json()["rows"]], ["cagnois"])
        self.assertEqual(self.client.get(LIST + "?page=9").status_code, 404)


class TwinTests(BaseTestCase):
    """The twins publish what the page shows about collectives, and nothing about their members."""

    def setUp(self):
        super().setUp()
        self.collective = CollectiveFactory(
            name="Technopolice Nice",
            website="https://nice.example.org/",
            mastodon="@tp@social.example.org",
            signal="https://signal.group/#abc",
        )
        add_organiser(self.collective, self.alice)
        add_member(self.collective, self.mallory)

    def test_json_has_the_public_columns_and_no_member(self):
        response = self.client.get(JSON)
        row = response.json()["rows"][0]
        self.assertEqual(
            list(row),
            ["name", "slug", "url", "description", "communes", "departments", "website", "mastodon", "matrix",
             "signal", "founded_on", "dormant", "example", "listed_at", "distance_km"],
        )  # fmt: skip
        self.assertEqual(row["url"], "/en/collectifs/" + self.collective.slug + "/")
        for text in ("alice", "mallory", "@example.org"):
            self.assertNotIn(text, response.content.decode())

    def test_csv_has_the_same_rows_and_no_member(self):
        response = self.client.get(CSV)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual([row["name"] for row in rows], ["Technopolice Nice"])
        self.assertEqual(rows[0]["website"], "https://nice.example.org/")
        for text in ("alice", "mallory", "@example.org"):
            self.assertNotIn(text, response.content.decode())

    def test_an_unknown_format_is_a_404(self):
        self.assertEqual(self.client.get("/en/collectifs/collectifs.xml").status_code, 404)
