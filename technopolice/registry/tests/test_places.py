import datetime as dt

from technopolice.testing.cases import BaseTestCase

from .factories import DossierFactory
from .test_dossier_list import slugs_in
from .world import build_world


class PlacePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def sections(self, url: str) -> dict[str, list[str]]:
        """Each section title of a place page with the dossiers listed under it."""
        response = self.client.get("/en" + url)  # section titles are asserted in English
        self.assertEqual(response.status_code, 200)
        sections = [response.context["own"], *response.context["wider"]]
        return {str(s.title): [d.slug for d in s.dossiers] for s in sections}

    def test_a_commune_lists_its_dossiers_and_separately_those_covering_it(self):
        sections = self.sections("/communes/saint-etienne-42218/")
        self.assertEqual(sections["Dossiers of this commune"], ["micros"])
        self.assertEqual(sections["Loire"], ["drones-loire"])
        self.assertEqual(sections["Auvergne-Rhône-Alpes"], ["avs-lycees"])
        self.assertEqual(sections["Whole country"], ["taj"])

    def test_sections_from_above_show_ten_count_all_and_link_to_their_place(self):
        for n in range(12):
            DossierFactory(title=f"Loire {n:02}", departments=[self.loire], start_date=dt.date(2010, 1, 1))
        response = self.client.get("/en/communes/saint-etienne-42218/")
        loire = next(s for s in response.context["wider"] if s.title == "Loire")
        self.assertEqual(loire.count, 13)
        self.assertEqual([d.slug for d in loire.dossiers][:1], ["drones-loire"])  # the newest first
        self.assertEqual(len(loire.dossiers), 10)
        self.assertInHTML('<a href="/en/departements/loire/">Loire</a>', response.content.decode())

    def test_a_commune_page_shows_population_department_and_region(self):
        response = self.client.get("/en/communes/saint-etienne-42218/")
        self.assertContains(response, "172,565")
        self.assertContains(response, 'href="/en/departements/loire/"')
        self.assertContains(response, 'href="/en/regions/auvergne-rhone-alpes/"')
        self.assertContains(response, 'href="/en/dossiers/?commune=saint-etienne-42218"')

    def test_paris_lists_its_arrondissements_and_their_dossiers(self):
        response = self.client.get("/communes/paris/")
        self.assertContains(response, 'href="/communes/paris-12/"')
        self.assertEqual(response.context["own"].count, 1)
        arrondissement = self.sections("/communes/paris-12/")
        self.assertEqual(arrondissement["Dossiers of this commune"], ["drones-12"])
        self.assertIn("Paris", arrondissement)  # the parent commune's own section

    def test_a_department_page_lists_dossiers_of_its_communes(self):
        sections = self.sections("/departements/loire/")
        self.assertEqual(set(sections["Dossiers of this department"]), {"micros", "drones-loire"})
        self.assertEqual(sections["Auvergne-Rhône-Alpes"], ["avs-lycees"])

    def test_a_region_page_lists_every_dossier_in_it(self):
        response = self.client.get("/regions/auvergne-rhone-alpes/")
        self.assertEqual(set(slugs_in(response.content)), {"micros", "drones-loire", "avs-lycees", "taj"})
        self.assertContains(response, 'href="/departements/loire/"')

    def test_unknown_places_are_404(self):
        for url in ("/communes/atlantis/", "/departements/atlantis/", "/regions/atlantis/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_the_commune_page_shows_its_cameras_panel(self):
        response = self.client.get("/en/communes/saint-etienne-42218/")
        self.assertContains(response, '<section class="commune-cameras">')


class PlaceQueryCountTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def test_a_commune_page_costs_the_same_queries_for_many_dossiers(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from .factories import DossierFactory

        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                self.client.get("/communes/saint-etienne-42218/")
            return len(context)

        few = queries()
        for n in range(25):  # more than a section shows: the page must count, not list, the rest
            DossierFactory(
                communes=[self.saint_etienne],
                departments=[self.loire],
                regions=[self.ara],
                technologies=[self.drones],
                vendors=[self.serenicity],
                is_national=n % 2 == 0,
            )
        many = queries()
        self.assertLessEqual(many - few, 4)  # one COUNT per section that is now full
        self.assertLessEqual(many, 40)
