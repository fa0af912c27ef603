import json
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from technopolice.mapdata.clusters import common
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera, many, official_dataset

NICE = (43.7009, 7.2683)
FRANCE = "-5.5,41,10,51.5"


class ClusterViewTests(BaseTestCase):
    url = reverse("mapdata:clusters")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 30 cameras around Nice, 5 in Paris, one alone in Brest.
        many([(NICE[0] + i * 0.001, NICE[1] + i * 0.001) for i in range(30)], surveillance_type="camera")
        many([(48.8566 + i * 0.0005, 2.3522) for i in range(5)], dataset=official_dataset())
        cls.brest = camera(48.39, -4.49, surveillance_type="ALPR", directions=[90.0, 270.0], zone="traffic")
        cls.gone = camera(45.0, 5.0, removed_at=timezone.now())

    def get(self, **params):
        response = self.client.get(self.url, params)
        return response, json.loads(response.content) if response.status_code != 304 else None

    def test_it_clusters_france_at_a_low_zoom(self):
        response, body = self.get(bbox=FRANCE, zoom=5)
        self.assertEqual(response.status_code, 200)
        counts = sorted(c["count"] for c in body["clusters"])
        self.assertEqual(counts, [5, 30])
        self.assertEqual([c["id"] for c in body["cameras"]], [self.brest.pk])

    def test_it_counts_every_visible_camera_once(self):
        _, body = self.get(bbox=FRANCE, zoom=8)
        total = sum(c["count"] for c in body["clusters"]) + len(body["cameras"])
        self.assertEqual(total, 36)  # the removed camera is not on the map

    def test_a_cluster_centre_is_the_mean_position_and_bounds_hold_it(self):
        _, body = self.get(bbox=FRANCE, zoom=5)
        nice = next(c for c in body["clusters"] if c["count"] == 30)
        self.assertAlmostEqual(nice["lat"], NICE[0] + 0.0145, places=3)
        self.assertAlmostEqual(nice["lon"], NICE[1] + 0.0145, places=3)
        west, south, east, north = nice["bounds"]
        self.assertTrue(
            west <= NICE[1] and east >= NICE[1] + 0.029 and south <= NICE[0] and north >= NICE[0] + 0.029
        )

    def test_single_cameras_carry_type_and_directions(self):
        _, body = self.get(bbox="-4.6,48.3,-4.4,48.5", zoom=12)
        self.assertEqual(
            body["cameras"],
            [{"id": self.brest.pk, "lat": 48.39, "lon": -4.49, "type": "ALPR", "directions": [90.0, 270.0]}],
        )
        self.assertEqual(body["clusters"], [])

    def test_it_opens_small_cells_camera_by_camera_at_street_level(self):
        many([(48.0, 2.0)] * 3)  # three cameras on one pole
        _, body = self.get(bbox="1.998,47.998,2.002,48.002", zoom=18)
        self.assertEqual(len(body["cameras"]), 3)
        self.assertEqual(body["clusters"], [])

    def test_small_cells_open_without_the_big_cluster_between_them(self):
        many([(48.0, 2.0)] * 3 + [(48.0, 2.0012)] * 2)  # two poles...
        many([(48.0, 2.0006)] * 20)  # ...and a dense spot between them, in the poles' common extent
        _, body = self.get(bbox="1.998,47.998,2.002,48.002", zoom=18)
        self.assertEqual(len(body["cameras"]), 5)
        self.assertEqual([c["count"] for c in body["clusters"]], [20])

    def test_single_cameras_are_capped_and_the_rest_stay_counted(self):
        many([(47.0 + i * 0.01, 1.0 + i * 0.01) for i in range(10)])  # ten lone cameras at zoom 12
        with mock.patch.object(common, "MAX_SINGLES", 4):
            _, body = self.get(bbox="0.99,46.99,1.2,47.2", zoom=12)
        self.assertEqual(len(body["cameras"]), 4)
        self.assertEqual(sum(c["count"] for c in body["clusters"]), 6)

    def test_it_filters_by_type_zone_operator_and_source(self):
        _, body = self.get(bbox=FRANCE, zoom=5, type="ALPR", zone="traffic")
        self.assertEqual(([c["id"] for c in body["cameras"]], body["clusters"]), ([self.brest.pk], []))
        _, body = self.get(bbox=FRANCE, zoom=5, dataset="paris-pp")
        self.assertEqual([c["count"] for c in body["clusters"]], [5])
        _, body = self.get(bbox=FRANCE, zoom=5, operator="nobody")
        self.assertEqual((body["clusters"], body["cameras"]), ([], []))

    def test_it_is_cacheable_and_answers_304_to_a_known_etag(self):
        response, _ = self.get(bbox=FRANCE, zoom=5)
        self.assertIn("max-age", response["Cache-Control"])
        again = self.client.get(self.url, {"bbox": FRANCE, "zoom": 5}, HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_bad_parameters_get_a_clear_json_error(self):
        cases = [
            {"zoom": 5},
            {"bbox": "a,b,c,d", "zoom": 5},
            {"bbox": "1,2,3", "zoom": 5},
            {"bbox": "nan,41,10,51", "zoom": 5},
            {"bbox": "10,41,-5,51", "zoom": 5},
            {"bbox": FRANCE, "zoom": "five"},
            {"bbox": FRANCE, "zoom": 99},
            {"bbox": FRANCE, "zoom": 12},  # France at zoom 12 is far larger than any screen
            {"bbox": FRANCE, "zoom": 5, "dataset": "not a slug!"},
            {"bbox": FRANCE, "zoom": 5, "zone": "z" * 51},
        ]
        for params in cases:
            with self.subTest(params=params):
                response, body = self.get(**params)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(body["ok"], False)
                self.assertTrue(body["error"]["message"])

    def test_it_refuses_other_methods(self):
        self.assertEqual(self.client.post(self.url, {"bbox": FRANCE, "zoom": 5}).status_code, 405)

    def test_the_response_stays_small_in_a_dense_area(self):
        # A 40x40 grid of cameras every ~50 m: at zoom 15 every cell holds several.
        many([(45.0 + i * 0.0005, 4.0 + j * 0.0007) for i in range(40) for j in range(40)])
        response, body = self.get(bbox="3.99,44.99,4.03,45.03", zoom=15)
        self.assertLess(len(response.content), 200_000)
        self.assertEqual(sum(c["count"] for c in body["clusters"]) + len(body["cameras"]), 1600)


class ViewportTests(BaseTestCase):
    def test_the_largest_allowed_screen_is_accepted(self):
        viewport = common.Viewport.from_bbox(-180, -85, 180, 85, zoom=3)
        self.assertGreater(viewport.x1, viewport.x0)

    def test_a_too_large_screen_is_refused(self):
        with self.assertRaises(common.ViewportError):
            common.Viewport.from_bbox(-180, -85, 180, 85, zoom=5)
