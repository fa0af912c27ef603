from technopolice.testing.cases import BaseTestCase

from .factories import OrganisationFactory, OrganisationLinkFactory
from .test_dossier_list import slugs_in
from .world import build_world


class TechnologyTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        cls.drones.summary_fr, cls.drones.summary_en = (
            "Des **aéronefs** sans pilote.",
            "Unmanned **aircraft**.",
        )
        cls.drones.save()
        OrganisationFactory(name="Parrot", kind="vendor").technologies.add(cls.drones)

    def test_the_list_counts_dossiers_per_technology(self):
        rows = self.client.get("/technologies.json").json()["rows"]
        counted = {r["slug"]: r["dossiers"] for r in rows if r["dossiers"]}
        self.assertEqual(counted, {"audio-sensors": 1, "avs": 2, "drones": 2})
        self.assertIn("cctv", {r["slug"] for r in rows})  # the seeded taxonomy is listed, even when empty

    def test_the_page_explains_the_technology_in_the_visitor_language(self):
        self.assertContains(self.client.get("/technologies/drones/"), "<strong>aéronefs</strong>")
        self.assertContains(self.client.get("/en/technologies/drones/"), "<strong>aircraft</strong>")

    def test_the_page_lists_its_dossiers_and_vendors(self):
        response = self.client.get("/technologies/drones/")
        self.assertEqual(set(slugs_in(response.content)), {"drones-12", "drones-loire"})
        self.assertContains(response, 'href="/organisations/parrot/"')

    def test_the_audio_page_names_the_vendor_of_its_dossiers(self):
        self.assertContains(
            self.client.get("/technologies/audio-sensors/"), 'href="/organisations/serenicity/"'
        )


class OrganisationTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        OrganisationLinkFactory(subject=cls.town_of_nice, object=cls.serenicity)
        OrganisationLinkFactory(
            subject=OrganisationFactory(name="AN2V", kind="lobby"),
            relation="lobbies",
            object=cls.town_of_nice,
            source_url="rapport_2020.pdf",
            dataset="",
        )

    def test_the_list_searches_names_without_accents_and_filters_by_kind(self):
        OrganisationFactory(name="Société Générale de Vidéo", kind="vendor")
        rows = self.client.get("/organisations.json", {"q": "SOCIETE video"}).json()["rows"]
        self.assertEqual([r["slug"] for r in rows], ["societe-generale-de-video"])
        rows = self.client.get("/organisations.json", {"kind": "vendor"}).json()["rows"]
        self.assertEqual([r["slug"] for r in rows], ["serenicity", "societe-generale-de-video"])

    def test_the_list_refuses_an_unknown_kind(self):
        self.assertContains(
            self.client.get("/en/organisations/", {"kind": "alien"}), "Unknown kind", status_code=400
        )

    def test_the_page_shows_who_buys_from_whom_with_sources(self):
        response = self.client.get("/en/organisations/ville-de-nice/")
        self.assertContains(response, "is a client of")
        self.assertContains(response, 'href="/en/organisations/serenicity/"')
        self.assertContains(response, 'href="https://example.org/contract.pdf"')
        self.assertContains(response, "source: rapport_2020.pdf")  # a bare file name is not a link
        self.assertContains(response, 'href="/en/organisations/an2v/"')

    def test_the_page_attributes_links_from_the_graph_dataset(self):
        self.assertContains(self.client.get("/organisations/serenicity/"), "carto_technopolice")
        self.assertNotContains(self.client.get("/organisations/an2v/"), "carto_technopolice")

    def test_the_page_lists_dossiers_it_operates_or_supplies(self):
        self.assertEqual(slugs_in(self.client.get("/organisations/ville-de-nice/").content), ["safe-city"])
        self.assertEqual(slugs_in(self.client.get("/organisations/serenicity/").content), ["micros"])
        export = self.client.get("/dossiers.json", {"operator": "ville-de-nice"}).json()
        self.assertEqual([r["slug"] for r in export["rows"]], ["safe-city"])
