import csv
import io
import json

from django.urls import reverse
from django.utils import timezone

from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera, official_dataset


class CameraDetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.commune = CommuneFactory()
        cls.cam = camera(
            45.43,
            4.39,
            osm_type="node",
            osm_id=123456,
            surveillance_type="camera",
            zone="town",
            operator="Ville de Saint-Étienne",
            directions=[90.0],
            camera_mount="wall",
            commune=cls.commune,
        )

    def test_it_gives_the_popup_everything_with_source_and_osm_link(self):
        response = self.client.get(reverse("mapdata:camera", args=[self.cam.pk]))
        camera_json = json.loads(response.content)["camera"]
        self.assertEqual(camera_json["operator"], "Ville de Saint-Étienne")
        self.assertEqual(
            (camera_json["zone"], camera_json["mount"], camera_json["directions"]), ("town", "wall", [90.0])
        )
        self.assertEqual(camera_json["commune"], "Saint-Étienne")
        self.assertEqual(camera_json["attribution"]["licence"], "ODbL 1.0")
        self.assertEqual(camera_json["osm_url"], "https://www.openstreetmap.org/node/123456")

    def test_an_official_site_has_no_osm_link(self):
        site = camera(48.85, 2.35, dataset=official_dataset())
        body = json.loads(self.client.get(reverse("mapdata:camera", args=[site.pk])).content)
        self.assertEqual(body["camera"]["osm_url"], "")

    def test_a_removed_or_unknown_camera_is_a_json_404(self):
        gone = camera(45.0, 4.0, removed_at=timezone.now())
        for pk in (gone.pk, 999999):
            response = self.client.get(reverse("mapdata:camera", args=[pk]))
            self.assertEqual(response.status_code, 404)
            self.assertEqual(json.loads(response.content)["ok"], False)


class CameraExportTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nice = camera(
            43.7, 7.27, osm_type="node", osm_id=42, surveillance_type="ALPR", directions=[0.0, 180.0]
        )
        cls.paris = camera(48.85, 2.35, dataset=official_dataset(), surveillance_type="camera")
        camera(45.0, 4.0, removed_at=timezone.now())

    def test_geojson_has_points_attribution_and_per_row_licence(self):
        response = self.client.get(reverse("mapdata:cameras_geojson"))
        self.assertEqual(response["Content-Type"], "application/geo+json")
        body = json.loads(response.content)
        self.assertEqual(body["type"], "FeatureCollection")
        self.assertEqual(body["count"], 2)
        first = body["features"][0]
        self.assertEqual(first["geometry"], {"type": "Point", "coordinates": [7.27, 43.7]})
        self.assertEqual(first["properties"]["licence"], "ODbL 1.0")
        self.assertEqual(first["properties"]["directions"], "0;180")
        self.assertEqual({a["licence"] for a in body["attribution"]}, {"ODbL 1.0", "public act"})

    def test_csv_carries_dataset_and_licence_columns_and_the_attribution_header(self):
        response = self.client.get(reverse("mapdata:cameras_csv"))
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual(
            [(r["dataset"], r["licence"]) for r in rows],
            [("osm-test", "ODbL 1.0"), ("paris-pp", "public act")],
        )
        self.assertEqual(rows[0]["osm_url"], "https://www.openstreetmap.org/node/42")
        self.assertIn("OpenStreetMap", response["X-Attribution"])

    def test_exports_take_the_map_filters_and_box(self):
        body = json.loads(self.client.get(reverse("mapdata:cameras_json"), {"type": "ALPR"}).content)
        self.assertEqual([r["id"] for r in body["rows"]], [self.nice.pk])
        body = json.loads(self.client.get(reverse("mapdata:cameras_json"), {"bbox": "2,48,3,49"}).content)
        self.assertEqual([r["id"] for r in body["rows"]], [self.paris.pk])

    def test_exports_are_paginated_with_a_next_link_keeping_filters(self):
        body = json.loads(self.client.get(reverse("mapdata:cameras_json"), {"_size": 1, "type": ""}).content)
        self.assertEqual(len(body["rows"]), 1)
        self.assertIn("page=2", body["next"])
        self.assertIn("_size=1", body["next"])

    def test_bad_export_parameters_get_the_error_shape(self):
        for params in ({"bbox": "x"}, {"_size": "0"}, {"page": "99"}, {"dataset": "!!"}):
            with self.subTest(params=params):
                response = self.client.get(reverse("mapdata:cameras_geojson"), params)
                self.assertIn(response.status_code, (400, 404))
                self.assertEqual(json.loads(response.content)["ok"], False)
