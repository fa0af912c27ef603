"""The in-memory cluster index answers byte for byte like the SQL path, and never past a camera write."""

import random
from unittest import mock

import numpy as np
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from technopolice.mapdata import mercator
from technopolice.mapdata.clusters import cells, common, grouping
from technopolice.mapdata.clusters import index as cluster_index
from technopolice.mapdata.models import Camera
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera, many, official_dataset

TOWNS = [(45.764, 4.8357), (43.2965, 5.3698), (48.8566, 2.3522), (48.39, -4.49)]


NO_FILTER = {"type": None, "zone": None, "dataset_id": None}
LONE_CLUSTERS = cluster_index.Index._with_lone_clusters  # the method itself, spied on


def sql_answer(viewport: common.Viewport, filters: dict = NO_FILTER) -> bytes:
    """What the endpoint sent before the index: the SQL path, as the view encodes it."""
    lookups = {"type": "surveillance_type", "zone": "zone", "dataset_id": "dataset_id"}
    queryset = Camera.objects.visible().filter(**{lookups[k]: v for k, v in filters.items() if v is not None})
    found = grouping.cluster(queryset, viewport, filters)
    return common.encode({"ok": True, **found})


def random_viewport(rng: random.Random, zoom: int) -> common.Viewport:
    """A screen of up to 1280x800 pixels around a town, as the map asks for it."""
    lat, lon = rng.choice(TOWNS)
    x, y = mercator.to_pixels(lat + rng.gauss(0, 0.03), lon + rng.gauss(0, 0.03))
    half_w, half_h = (rng.randint(100, 640) << (mercator.MAX_ZOOM - zoom) for _ in range(2))
    edge = mercator.WORLD_PIXELS - 1
    north, west = mercator.to_lat_lon(max(0, x - half_w), max(0, y - half_h))
    south, east = mercator.to_lat_lon(min(edge, x + half_w), min(edge, y + half_h))
    return common.Viewport.from_bbox(west, south, east, north, zoom)


class ClusterIndexTests(BaseTestCase):
    url = reverse("mapdata:clusters")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = random.Random(11)
        for i, (lat, lon) in enumerate(TOWNS):
            spread = 0.02 if i < 3 else 0.0005  # Brest: street-level cells of several cameras
            points = [(lat + rng.gauss(0, spread), lon + rng.gauss(0, spread)) for _ in range(160)]
            many(points[:100], surveillance_type="camera", zone="town", directions=[90.0, 270.5])
            many(points[100:], dataset=official_dataset(), surveillance_type="ALPR" if i else "caméra")
        many([TOWNS[0]] * 3)  # three cameras on one pole
        camera(47.0, 3.0, surveillance_type="guard")
        camera(47.0, 3.0001, removed_at=timezone.now())

    def index(self) -> cluster_index.Index:
        index = cluster_index.current(cells.index_token())
        self.assertIsNotNone(index)
        return index

    def assert_same_as_sql(self, zooms, per_zoom: int, seed: int, filters: dict = NO_FILTER):
        cells.rebuild()
        self.assert_answers_like_sql(zooms, per_zoom, seed, filters)

    def assert_answers_like_sql(self, zooms, per_zoom: int, seed: int, filters: dict = NO_FILTER):
        index, rng = self.index(), random.Random(seed)
        for zoom in zooms:
            for _ in range(per_zoom):
                viewport = random_viewport(rng, zoom)
                with self.subTest(viewport=viewport, filters=filters):
                    self.assertEqual(index.answer(viewport, filters), sql_answer(viewport, filters))

    def test_it_answers_every_zoom_byte_for_byte_like_sql(self):
        self.assert_same_as_sql(range(common.MIN_ZOOM, common.MAX_ZOOM + 1), 6, seed=5)

    def test_it_keeps_the_single_camera_cap_like_sql(self):
        with mock.patch.object(common, "MAX_SINGLES", 7):
            self.assert_same_as_sql((9, 12, 14, 15, 16, 17, 18, 20), 4, seed=6)

    def test_cells_left_past_the_budget_are_clusters_of_one_like_sql(self):
        # A budget of 0 or 1 leaves cells of one camera as clusters: they have no ready JSON.
        written = mock.patch.object(
            cluster_index.Index, "_with_lone_clusters", autospec=True, side_effect=LONE_CLUSTERS
        )
        for budget in (0, 1, 7, 1500):
            with mock.patch.object(common, "MAX_SINGLES", budget), written as lone:
                self.assert_same_as_sql(range(common.MIN_ZOOM, common.MAX_ZOOM + 1), 3, seed=budget)
            self.assertEqual(lone.called, budget < 1500, budget)

    def test_street_level_up_to_its_max_zoom_is_read_from_precomputed_cells(self):
        self.assertGreaterEqual(cluster_index.MAX_ZOOM, common.SPREAD_ZOOM)
        cells.rebuild()  # which answers a zoom past MAX_ZOOM itself, to compile the code
        grouped = mock.patch.object(
            cluster_index.Index, "_from_cameras", side_effect=AssertionError("grouped")
        )
        with grouped:
            self.assert_answers_like_sql(range(16, cluster_index.MAX_ZOOM + 1), 6, seed=9)
        with mock.patch.object(common, "MAX_SINGLES", 7), grouped:
            self.assert_answers_like_sql(range(16, cluster_index.MAX_ZOOM + 1), 4, seed=10)

    def test_an_index_of_another_format_is_not_opened(self):
        cells.rebuild()
        token = cells.index_token()
        meta = cluster_index.folder() / token / "meta.json"
        meta.write_text('{"format": 1, "max_zoom": 15}')
        self.assertIsNone(cluster_index.current(token))
        meta.unlink()  # as an index written before meta.json existed
        self.assertIsNone(cluster_index.current(token))

    def test_street_level_filters_answer_like_sql(self):
        official = official_dataset().pk
        for filters in (
            {"type": "ALPR"},
            {"type": "caméra", "zone": ""},
            {"zone": "town"},
            {"dataset_id": official},
            {"type": "ALPR", "dataset_id": official},
            {"type": "drone"},
            {"dataset_id": -1},
        ):
            self.assert_same_as_sql((16, 17, 18, 20), 3, seed=8, filters={**NO_FILTER, **filters})

    def test_the_endpoint_answers_from_memory_without_reading_the_cells(self):
        cells.rebuild()
        params = {"bbox": "4.7,45.7,4.95,45.8", "zoom": 13}
        expected = sql_answer(common.Viewport.from_bbox(4.7, 45.7, 4.95, 45.8, 13))
        with mock.patch.object(grouping, "cluster", side_effect=AssertionError("SQL path used")):
            response = self.client.get(self.url, params)
        self.assertEqual(response.content, expected)

    def test_filtered_low_zooms_and_the_operator_filter_answer_from_sql(self):
        cells.rebuild()
        choices = [{"type": "ALPR"}, {"zone": "town"}, {"dataset": official_dataset().slug}]
        brest = "-4.4925,48.388,-4.4875,48.392"
        choices += [{"operator": "x", "zoom": 18, "bbox": brest}]
        choices += [{"type": "ALPR", "operator": "x", "zoom": 17, "bbox": brest}]
        for params in choices:
            with self.subTest(params=params), self.memory_forbidden():
                response = self.client.get(self.url, {"bbox": "-5.5,41,10,51.5", "zoom": 6, **params})
                body = response.json()
                counted = sum(c["count"] for c in body["clusters"]) + len(body["cameras"])
                self.assertEqual(counted, self.filtered(params).count())

    def test_the_endpoint_filters_street_level_in_memory(self):
        cells.rebuild()
        params = {"bbox": "-4.4925,48.388,-4.4875,48.392", "zoom": 18, "type": "ALPR", "dataset": "paris-pp"}
        viewport = common.Viewport.from_bbox(-4.4925, 48.388, -4.4875, 48.392, 18)
        expected = sql_answer(viewport, {**NO_FILTER, "type": "ALPR", "dataset_id": official_dataset().pk})
        self.assertIn(b'"type":"ALPR"', expected)
        with mock.patch.object(grouping, "cluster", side_effect=AssertionError("SQL path used")):
            self.assertEqual(self.client.get(self.url, params).content, expected)

    def test_any_camera_write_retires_the_index(self):
        writes = [
            lambda: camera(46.0, 4.0),
            lambda: Camera.objects.filter(zone="town").update(zone="traffic"),
            lambda: Camera.objects.filter(surveillance_type="guard").update(removed_at=timezone.now()),
            lambda: Camera.objects.filter(surveillance_type="ALPR").delete(),
        ]
        viewport = {"bbox": "-5.5,41,10,51.5", "zoom": 5}
        for write in writes:
            cells.rebuild()
            self.assertTrue(cells.index_token())
            write()
            self.assertEqual(cells.index_token(), "")
            response = self.client.get(self.url, viewport)
            body = response.json()
            self.assertEqual(
                sum(c["count"] for c in body["clusters"]) + len(body["cameras"]),
                Camera.objects.visible().count(),
            )

    def test_a_raw_sql_write_retires_it_too(self):
        cells.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE mapdata_camera SET removed_at = NULL")
        self.assertEqual(cells.index_token(), "")

    def test_a_process_moves_to_the_new_index_after_a_rebuild(self):
        cells.rebuild()
        before = self.index()
        camera(44.0, 1.0)
        cells.rebuild()
        after = self.index()
        self.assertNotEqual(before.token, after.token)
        viewport = common.Viewport.from_bbox(0.9, 43.9, 1.1, 44.1, 12)
        self.assertIn(b'"lat":44.0', after.answer(viewport))
        self.assertEqual(after.answer(viewport), sql_answer(viewport))

    def test_missing_files_fall_back_to_sql(self):
        cells.rebuild()
        self.assertIsNone(cluster_index.current("0" * 32))

    def test_an_empty_map_has_an_index_too(self):
        Camera.objects.all().delete()
        cells.rebuild()
        viewport = common.Viewport.from_bbox(-5.5, 41, 10, 51.5, 5)
        self.assertEqual(self.index().answer(viewport), sql_answer(viewport))

    @staticmethod
    def memory_forbidden():
        return mock.patch.object(cluster_index.Index, "answer", side_effect=AssertionError("index used"))

    @staticmethod
    def filtered(params):
        queryset = Camera.objects.visible()
        lookups = {"type": "surveillance_type", "zone": "zone", "dataset": "dataset__slug"}
        lookups["operator"] = "operator"
        return queryset.filter(**{lookups[k]: v for k, v in params.items() if k in lookups and v})


class HelperTests(BaseTestCase):
    def test_ranges_concatenates_ranges_including_empty_ones(self):
        rng = random.Random(4)
        for _ in range(200):
            lo = [rng.randrange(50) for _ in range(rng.randrange(6))]
            hi = [a + rng.choice((0, 0, 1, rng.randrange(5))) for a in lo]
            expected = [v for a, b in zip(lo, hi, strict=True) for v in range(a, b)]
            found = cluster_index._ranges(np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64))
            self.assertEqual(found.tolist(), expected)

    def test_alone_is_the_shared_rule(self):
        rng = random.Random(5)
        for budget in (1500, 7, 30):
            for zoom in (12, 17):
                with mock.patch.object(common, "MAX_SINGLES", budget):
                    for _ in range(100):
                        counts = [rng.choice((1, 1, 2, 5, 12, 13, 40)) for _ in range(rng.randrange(20))]
                        with self.subTest(budget=budget, zoom=zoom, counts=counts):
                            found = cluster_index._alone(np.array(counts, dtype=np.int32), zoom)
                            self.assertEqual(found.tolist(), common.sent_alone(counts, zoom))
