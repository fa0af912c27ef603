from technopolice.testing.cases import BaseTestCase


class HomeTests(BaseTestCase):
    def test_it_is_french_by_default(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="fr">')

    def test_it_offers_english_one_click_away(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/en/"')
        self.assertContains(self.client.get("/en/"), '<html lang="en">')

    def test_it_forbids_other_hosts_in_the_security_policy(self):
        response = self.client.get("/")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])


class HomeContentTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        from technopolice.registry.tests.world import build_world

        super().setUpTestData()
        build_world(cls)

    def test_it_shows_the_latest_dossiers(self):
        response = self.client.get("/")
        self.assertEqual(response.context["dossier_count"], 7)
        self.assertEqual([d.slug for d in response.context["latest"]][0], "taj")
        self.assertContains(response, 'href="/dossiers/safe-city/"')
        self.assertNotContains(response, 'href="/dossiers/micros/"')  # the oldest of seven

    def test_it_counts_dossiers_per_technology_and_region_with_links_to_the_list(self):
        response = self.client.get("/en/")
        regions = {region.slug: n for region, n in response.context["regions"]}
        self.assertEqual(
            regions, {"auvergne-rhone-alpes": 3, "ile-de-france": 1, "provence-alpes-cote-d-azur": 2}
        )
        technologies = {t.slug: n for t, n in response.context["technologies"]}
        self.assertEqual(technologies, {"avs": 2, "drones": 2, "audio-sensors": 1})
        self.assertContains(response, 'href="/en/dossiers/?region=auvergne-rhone-alpes"')
        self.assertContains(response, 'href="/en/dossiers/?technology=drones"')

    def test_its_search_box_targets_the_dossier_list(self):
        response = self.client.get("/")
        self.assertContains(response, 'action="/dossiers/" role="search"')
        self.assertContains(response, 'name="q"')

    def test_it_costs_a_fixed_number_of_queries(self):
        # State (1), counts (3), latest dossiers and their links (2), technology and region names, outcomes,
        # upcoming events.
        with self.assertNumQueries(10):
            self.client.get("/")
