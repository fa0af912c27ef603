import csv
import io
import json

from django.urls import reverse
from django.utils import timezone

from technopolice.registry.tests.factories import CommuneFactory, DepartmentFactory
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import many


class RankingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.village = CommuneFactory(insee="42001", name="Village", population=500, area_km2=10.0)
        cls.city = CommuneFactory(insee="42218", name="Saint-Étienne", population=170000, area_km2=80.0)
        nice_dept = DepartmentFactory(code="06", name="Alpes-Maritimes")
        cls.nice = CommuneFactory(
            insee="06088", name="Nice", population=340000, area_km2=0, department=nice_dept
        )
        CommuneFactory(insee="42002", name="Sans caméra", population=1000)
        many([(45.4, 4.4)] * 2, commune=cls.village)
        many([(45.43, 4.39)] * 170, commune=cls.city)
        many([(43.7, 7.26)] * 680, commune=cls.nice)
        many([(43.7, 7.26)] * 5, commune=cls.nice, removed_at=timezone.now())

    def test_it_ranks_communes_by_cameras_per_thousand_inhabitants(self):
        response = self.client.get(reverse("mapdata:ranking"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            [c.name for c in response.context["table"].rows], ["Village", "Nice", "Saint-Étienne"]
        )
        self.assertContains(response, "4,00")  # 2 cameras for 500 inhabitants, in French

    def test_json_twin_has_densities_and_skips_removed_cameras(self):
        body = json.loads(self.client.get(reverse("mapdata:ranking_json")).content)
        nice = next(r for r in body["rows"] if r["name"] == "Nice")
        self.assertEqual((nice["cameras"], nice["per_1000_inhabitants"], nice["per_km2"]), (680, 2.0, None))
        city = next(r for r in body["rows"] if r["insee"] == "42218")
        self.assertEqual((city["per_1000_inhabitants"], city["per_km2"]), (1.0, 2.125))

    def test_filters_by_minimum_population_and_department(self):
        body = json.loads(self.client.get(reverse("mapdata:ranking_json"), {"min_population": 1000}).content)
        self.assertEqual([r["name"] for r in body["rows"]], ["Nice", "Saint-Étienne"])
        response = self.client.get(reverse("mapdata:ranking_csv"), {"department": "06"})
        self.assertEqual(
            [r["name"] for r in csv.DictReader(io.StringIO(response.content.decode()))], ["Nice"]
        )

    def test_bad_filters_are_explained(self):
        response = self.client.get(reverse("mapdata:ranking"), {"min_population": "many"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "min_population", status_code=400)
        response = self.client.get(reverse("mapdata:ranking_json"), {"min_population": "-1"})
        self.assertEqual(json.loads(response.content)["ok"], False)
