import csv
import io
import re
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from technopolice.registry import facets
from technopolice.registry.models import Dossier
from technopolice.testing.cases import BaseTestCase

from .factories import DossierFactory
from .world import build_world

URL = "/dossiers/"


def slugs_in(html: bytes) -> list[str]:
    """The dossiers a list page shows, in order (each row carries data-slug)."""
    return re.findall(r'data-slug="([^"]+)"', html.decode())


class DossierListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def found(self, **params) -> set[str]:
        response = self.client.get(URL, params)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return set(slugs_in(response.content))

    def test_it_lists_every_dossier_without_filters(self):
        self.assertEqual(self.found(), set(Dossier.objects.values_list("slug", flat=True)))

    def test_rows_escape_what_contributors_wrote(self):
        """Rows are assembled in Python (templatetags/dossiers.py): nothing may reach the page raw."""
        from technopolice.registry.models import Commune

        commune = Commune.objects.get(slug="nice")
        commune.name = 'Nice <img src=x onerror="alert(1)">'
        commune.save()
        DossierFactory(title="<script>alert('x')</script> & co", slug="escaped", communes=[commune])
        html = self.client.get(URL, {"q": "alert"}).content.decode()
        self.assertIn("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co", html)
        self.assertIn("Nice &lt;img src=x onerror=&quot;alert(1)&quot;&gt;", html)
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)

    def test_it_filters_by_commune(self):
        self.assertEqual(self.found(commune="saint-etienne-42218"), {"micros"})
        self.assertEqual(self.found(commune="nice"), {"safe-city", "port"})

    def test_it_counts_an_arrondissement_in_its_commune(self):
        self.assertEqual(self.found(commune="paris"), {"drones-12"})
        self.assertEqual(self.found(commune="paris-12"), {"drones-12"})

    def test_it_matches_a_department_directly_or_through_its_communes(self):
        self.assertEqual(self.found(department="loire"), {"micros", "drones-loire"})

    def test_it_matches_a_region_directly_or_through_departments_and_communes(self):
        self.assertEqual(self.found(region="auvergne-rhone-alpes"), {"micros", "drones-loire", "avs-lycees"})

    def test_it_adds_national_dossiers_to_a_place_only_when_asked(self):
        self.assertNotIn("taj", self.found(commune="nice"))
        self.assertEqual(self.found(commune="nice", national="1"), {"safe-city", "port", "taj"})

    def test_it_filters_by_technology_vendor_operator_and_status(self):
        self.assertEqual(self.found(technology="drones"), {"drones-12", "drones-loire"})
        self.assertEqual(self.found(vendor="serenicity"), {"micros"})
        self.assertEqual(self.found(operator="ville-de-nice"), {"safe-city"})
        self.assertEqual(self.found(status="experimentation"), {"drones-12"})

    def test_it_filters_by_year_of_activity(self):
        # Micros ran March to October 2019; the TAJ started in 2012 and never ended.
        self.assertEqual(self.found(year="2019"), {"micros", "taj"})
        self.assertEqual(self.found(year="2020"), {"taj"})
        self.assertEqual(self.found(year="2022"), {"taj", "safe-city", "drones-loire"})

    def test_it_combines_filters(self):
        self.assertEqual(self.found(region="auvergne-rhone-alpes", technology="drones"), {"drones-loire"})

    def test_it_searches_without_caring_for_accents_or_case(self):
        self.assertEqual(self.found(q="saint etienne"), {"micros"})
        self.assertEqual(self.found(q="SAINT-ÉTIENNE micros"), {"micros"})
        self.assertEqual(self.found(q="VIDEOSURVEILLANCE"), {"safe-city", "avs-lycees"})
        self.assertEqual(self.found(q="vidéosurveillance promenade"), {"safe-city"})
        self.assertEqual(self.found(q="serenicity"), {"micros"})
        self.assertEqual(self.found(q="nowhere to be found"), set())

    def test_it_sorts_by_date_name_and_place(self):
        by_date = slugs_in(self.client.get(URL).content)
        self.assertEqual(by_date[:2], ["avs-lycees", "drones-12"])
        self.assertEqual(by_date[-1], "port")  # no start date: last
        by_name = slugs_in(self.client.get(URL, {"sort": "name"}).content)
        self.assertEqual(by_name, list(Dossier.objects.order_by("title").values_list("slug", flat=True)))
        by_place = slugs_in(self.client.get(URL, {"sort": "place"}).content)
        # Auvergne-Rhône-Alpes, Loire, Nice, Nice, Paris 12e, Saint-Étienne, then the national TAJ.
        self.assertEqual(by_place[:2], ["avs-lycees", "drones-loire"])
        self.assertEqual(by_place[-3:], ["drones-12", "micros", "taj"])

    def test_it_offers_facets_that_toggle_a_filter(self):
        response = self.client.get("/en" + URL, {"technology": "drones"})
        technology = {v.label: v for v in response.context["facets"]["technology"]}
        self.assertTrue(technology["Drones"].selected)
        self.assertEqual(technology["Drones"].url, "/en" + URL)
        regions = {v.label: v.count for v in response.context["facets"]["region"]}
        self.assertEqual(regions, {"Auvergne-Rhône-Alpes": 1, "Île-de-France": 1})
        statuses = {v.label: v.url for v in response.context["facets"]["status"]}
        self.assertEqual(
            statuses["in experimentation"], "/en/dossiers/?technology=drones&status=experimentation"
        )
        # The links as the page writes them (templatetags/dossiers.py), the selected one marked.
        self.assertInHTML(
            '<li class="selected"><a href="/en/dossiers/" aria-current="true">Drones</a>'
            ' <span class="count">2</span></li>',
            response.content.decode(),
        )
        self.assertInHTML(
            '<a href="/en/dossiers/?technology=drones&amp;status=experimentation">In experimentation</a>',
            response.content.decode(),
        )

    def test_facet_counts_follow_every_change_and_reuse_the_index_otherwise(self):
        def drones() -> int:
            facet = self.client.get(URL).context["facets"]["technology"]
            return {v.label: v.count for v in facet}["Drones"]

        self.assertEqual(drones(), 2)
        with mock.patch("technopolice.registry.facets.build_index", wraps=facets.build_index) as built:
            self.assertEqual(drones(), 2)
            self.assertEqual(self.client.get(URL, {"q": "drones"}).status_code, 200)
            self.assertEqual(built.call_count, 0)  # another view, the same registry: the same index
            DossierFactory(technologies=[self.drones])
            self.assertEqual(drones(), 3)
            self.assertEqual(built.call_count, 1)
            self.paris_drones.delete()
            self.assertEqual(drones(), 2)
            self.assertEqual(built.call_count, 2)

    def test_facet_counts_follow_changes_that_leave_a_dossier_row_untouched(self):
        """A dossier's technologies are its link table; a bulk update skips ``auto_now``.
        Both move the registry's version (triggers, migration 0005), so both show at once."""

        def counts(facet: str) -> dict[str, int]:
            return {v.label: v.count for v in self.client.get(URL).context["facets"][facet]}

        self.assertEqual(counts("technology")["Drones"], 2)
        self.paris_drones.technologies.remove(self.drones)
        self.assertEqual(counts("technology")["Drones"], 1)
        abandoned = counts("status")["abandonné"]
        Dossier.objects.filter(pk=self.paris_drones.pk).update(status="abandoned")
        self.assertEqual(counts("status")["abandonné"], abandoned + 1)

    def test_it_shows_the_filters_in_use_with_a_link_to_remove_each(self):
        response = self.client.get(URL, {"technology": "drones", "year": "2023"})
        self.assertContains(response, 'href="/dossiers/?year=2023"')
        self.assertContains(response, 'href="/dossiers/?technology=drones"')


class DossierTwinTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def test_the_json_twin_returns_the_rows_of_the_page(self):
        params = {"region": "auvergne-rhone-alpes", "sort": "name", "_size": "2", "page": "2"}
        html = slugs_in(self.client.get(URL, params).content)
        body = self.client.get("/dossiers.json", params).json()
        self.assertEqual(body["ok"], True)
        self.assertEqual(body["count"], 3)
        self.assertEqual([row["slug"] for row in body["rows"]], html)
        self.assertEqual(len(html), 1)
        self.assertIsNone(body["next"])
        self.assertIn("ODbL", body["attribution"][0]["licence"])

    def test_the_json_twin_links_to_its_next_page(self):
        body = self.client.get(
            "/dossiers.json", {"_size": "1", "technology": "drones", "sort": "name"}
        ).json()
        self.assertEqual(body["next"], "/dossiers.json?_size=1&technology=drones&sort=name&page=2")
        second = self.client.get(body["next"]).json()
        self.assertEqual([body["rows"][0]["slug"], second["rows"][0]["slug"]], ["drones-12", "drones-loire"])
        self.assertIsNone(second["next"])

    def test_the_csv_twin_returns_the_same_rows(self):
        params = {"q": "drones", "sort": "name"}
        html = slugs_in(self.client.get(URL, params).content)
        response = self.client.get("/dossiers.csv", params)
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual([row["slug"] for row in rows], html)
        self.assertEqual(html, ["drones-12", "drones-loire"])
        self.assertEqual([row["communes"] for row in rows], ["Paris 12e Arrondissement", ""])
        self.assertIn("Technopolice", response["X-Attribution"])

    def test_the_json_row_describes_the_dossier(self):
        row = self.client.get("/dossiers.json", {"commune": "saint-etienne-42218"}).json()["rows"][0]
        self.assertEqual(row["communes"], ["Saint-Étienne"])
        self.assertEqual(row["commune_insee"], ["42218"])
        self.assertEqual(row["technologies"], ["audio-sensors"])
        self.assertEqual(row["vendors"], ["Serenicity"])
        self.assertEqual((row["start_date"], row["end_date"]), ("2019-03-01", "2019-10-01"))
        self.assertEqual(row["url"], "/dossiers/micros/")

    def test_the_page_links_to_its_twins_with_the_same_filters(self):
        response = self.client.get(URL, {"technology": "drones"})
        self.assertContains(response, 'href="/dossiers.json?technology=drones"')
        self.assertContains(response, 'href="/dossiers.csv?technology=drones"')


class BadFilterTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def assert_refused(self, params, message, status=400):
        response = self.client.get("/en" + URL, params)  # the messages are asserted in English
        self.assertContains(response, message, status_code=status)
        body = self.client.get("/en/dossiers.json", params).json()
        self.assertEqual(
            body, {"ok": False, "error": {"status": status, "message": body["error"]["message"]}}
        )
        self.assertIn(message, body["error"]["message"])

    def test_it_refuses_an_unknown_slug_clearly(self):
        self.assert_refused({"technology": "telepathy"}, "Unknown technology: “telepathy”.")
        self.assert_refused({"commune": "atlantis"}, "Unknown commune: “atlantis”.")
        self.assert_refused({"vendor": "acme"}, "Unknown organisation: “acme”.")

    def test_it_refuses_a_year_that_is_not_a_number(self):
        self.assert_refused({"year": "abc"}, "The year must be a number, like 2021.")

    def test_it_refuses_an_unknown_status_or_sort(self):
        self.assert_refused({"status": "sleeping"}, "Unknown status: “sleeping”.")
        self.assert_refused({"sort": "random"}, "Unknown sort order: “random”.")

    def test_it_answers_a_page_past_the_end_with_404(self):
        self.assert_refused({"page": "999"}, "This page does not exist.", status=404)
        self.assert_refused({"page": "abc"}, "This page does not exist.", status=404)

    def test_it_refuses_an_unknown_format(self):
        self.assertEqual(self.client.get("/dossiers.xml").status_code, 404)

    def test_it_refuses_another_method(self):
        # Lists are read-only; Django's test client can still POST: nothing must change or break.
        self.assertEqual(self.client.post(URL).status_code, 405)


class QueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def queries_for(self, url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(context)

    def steady_queries_for(self, url: str) -> int:
        """A second visit's queries: the first also builds what the process keeps until the
        registry changes (the facet index, three queries whatever its size, and the reference
        lists); test_facet_counts_follow_every_change... covers that."""
        self.queries_for(url)
        return self.queries_for(url)

    def test_the_list_costs_the_same_queries_for_many_dossiers(self):
        urls = (URL, "/dossiers.json", "/dossiers/?sort=place&q=drones")
        few = {url: self.steady_queries_for(url) for url in urls}
        for n in range(20):
            DossierFactory(
                communes=[self.nice, self.paris12],
                technologies=[self.drones, self.avs],
                vendors=[self.serenicity],
                departments=[self.loire],
                regions=[self.ara],
                operator=self.town_of_nice,
                title=f"Drones {n}",
            )
        many = {url: self.steady_queries_for(url) for url in urls}
        self.assertEqual(many, few)
        self.assertLessEqual(few[URL], 16)

    def test_a_filtered_list_applies_its_filters_once(self):
        """The ids are found with the filters; the page's rows are then read by id alone
        (lib.pagination): re-running a text search or a place subquery doubled their cost."""
        self.queries_for("/dossiers/?q=drones&region=auvergne-rhone-alpes")
        with CaptureQueriesContext(connection) as context:
            response = self.client.get("/dossiers/?q=drones&region=auvergne-rhone-alpes")
        self.assertEqual(set(slugs_in(response.content)), {"drones-loire"})
        sqls = [q["sql"] for q in context.captured_queries]
        reading_text = [sql for sql in sqls if "search_text" in sql]
        self.assertEqual(len(reading_text), 1, reading_text)
        with_place = [sql for sql in sqls if '"registry_dossier_regions" "U0"' in sql]
        self.assertEqual(len(with_place), 1, with_place)
