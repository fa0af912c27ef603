"""The map's collectives layer: a GeoJSON point per listed collective and place it covers."""

from django.urls import reverse

from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .world import build_collectives

URL = "/collectifs/carte.geojson"


class GeojsonTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_collectives(cls)
        # An arrondissement of Marseille: it must not count in the department's centre.
        CommuneFactory(insee="13201", name="Marseille 1er Arrondissement", kind="ARM", parent=cls.marseille,
                       department=cls.bouches, latitude=50.0, longitude=0.0)  # fmt: skip
        cls.marseille_collective.departments.add(cls.bouches)

    def features(self) -> dict[tuple[str, str], dict]:
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/geo+json")
        body = response.json()
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual(body["count"], len(body["features"]))
        return {(f["properties"]["name"], f["properties"]["place"]): f for f in body["features"]}

    def test_one_point_per_listed_collective_and_commune_at_its_centre(self):
        features = self.features()
        nice = features["Technopolice Nice", "Nice"]
        self.assertEqual(nice["geometry"], {"type": "Point", "coordinates": [7.2663, 43.7034]})
        self.assertEqual(nice["properties"]["url"], "/collectifs/technopolice-nice/")
        self.assertIs(nice["properties"]["dormant"], False)
        self.assertIs(features["Sainté Métropole Vigilante", "Saint-Étienne"]["properties"]["dormant"], True)
        self.assertNotIn("Nice en attente", {name for name, _place in features})

    def test_a_department_is_the_mean_of_its_communes_centres(self):
        features = self.features()
        alpes = features["Alpes-Maritimes libres", "Alpes-Maritimes"]["geometry"]["coordinates"]
        communes = [self.nice, self.eze, self.cagnes, self.menton, self.cannes]  # Sans-Centre has none
        expected = [sum(c.longitude for c in communes) / 5, sum(c.latitude for c in communes) / 5]
        self.assertAlmostEqual(alpes[0], expected[0], places=5)
        self.assertAlmostEqual(alpes[1], expected[1], places=5)
        # The Bouches-du-Rhône: Marseille itself, not its arrondissement far away.
        bouches = features["Technopolice Marseille", "Bouches-du-Rhône"]["geometry"]["coordinates"]
        self.assertEqual(bouches, [5.3698, 43.2965])
        self.assertEqual(len(features), 7)  # 5 communes and 2 departments named by listed collectives

    def test_the_map_page_names_the_layer_s_url(self):
        response = self.client.get(reverse("mapdata:map"))
        self.assertContains(response, f'data-collectives-url="{URL}"')
