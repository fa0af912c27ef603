"""Commune, department and region pages list the collectives that cover them."""

from technopolice.testing.cases import BaseTestCase

from .world import build_collectives


class PlacePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_collectives(cls)

    def collectives_on(self, url: str) -> list[str]:
        response = self.client.get("/en" + url)
        self.assertEqual(response.status_code, 200)
        section = (
            response.content.decode()
            .split('<section class="place-collectives">', 1)[1]
            .split("</section>")[0]
        )
        collectives = [self.technopolice_nice, self.cagnois, self.cannois, self.department_wide]
        collectives += [self.marseille_collective, self.sainte, self.pending]
        return [c.name for c in collectives if c.name in section]

    def test_a_commune_page_lists_its_own_and_its_department_s_collectives(self):
        self.assertEqual(
            self.collectives_on(f"/communes/{self.nice.slug}/"),
            ["Technopolice Nice", "Alpes-Maritimes libres"],
        )
        response = self.client.get(f"/en/communes/{self.nice.slug}/")
        self.assertContains(response, 'href="/en/collectifs/?near=06088"')

    def test_a_commune_without_one_says_so_and_links_the_search_nearby(self):
        response = self.client.get(f"/en/communes/{self.saint_etienne.slug}/")
        self.assertContains(response, "Sainté Métropole Vigilante")
        self.assertContains(response, '<span class="badge warning">dormant</span>', html=True)
        response = self.client.get(f"/en/communes/{self.nowhere.slug}/")  # no centre: its department
        self.assertContains(response, 'href="/en/collectifs/?department=alpes-maritimes"')

    def test_a_department_page_lists_the_collectives_of_its_communes(self):
        self.assertEqual(
            self.collectives_on("/departements/alpes-maritimes/"),
            ["Technopolice Nice", "Collectif cagnois", "Vigilance Cannes", "Alpes-Maritimes libres"],
        )
        self.assertEqual(self.collectives_on("/departements/bouches-du-rhone/"), ["Technopolice Marseille"])

    def test_a_region_page_lists_every_collective_in_it(self):
        self.assertEqual(len(self.collectives_on("/regions/provence-alpes-cote-d-azur/")), 5)
        response = self.client.get("/en/regions/provence-alpes-cote-d-azur/")
        self.assertNotContains(response, "Nice en attente")  # waiting for a moderator

    def test_a_place_without_collective_says_so(self):
        self.department_wide.departments.clear()
        response = self.client.get(f"/en/communes/{self.menton.slug}/")
        self.assertContains(response, "No collective covers Menton yet.")
