"""Precomputed cluster cells give exactly what grouping the cameras live gives."""

import random
from unittest import mock

from django.utils import timezone

from technopolice.mapdata.clusters import cells, common, grouping
from technopolice.mapdata.models import Camera
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera, many, official_dataset

VIEWS = [
    (-5.5, 41.0, 10.0, 51.5, 5),
    (-20.0, 30.0, 30.0, 60.0, 3),
    (4.0, 45.0, 5.5, 46.0, 9),
    (4.8, 45.7, 4.9, 45.8, 13),
    (4.83, 45.75, 4.85, 45.77, 15),
]


class ClusterCellTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = random.Random(7)
        towns = [(45.764, 4.8357), (43.2965, 5.3698), (48.8566, 2.3522)]
        for i, (lat, lon) in enumerate(towns):
            points = [(lat + rng.gauss(0, 0.02), lon + rng.gauss(0, 0.02)) for _ in range(150)]
            many(points[:100], surveillance_type="camera", zone="town")
            many(points[100:], dataset=official_dataset(), surveillance_type="ALPR" if i else "camera")
        camera(47.0, 3.0, surveillance_type="guard")
        camera(47.0, 3.0001, removed_at=timezone.now())

    def answer(self, view, cell_filters, queryset=None):
        viewport = common.Viewport.from_bbox(*view[:4], zoom=view[4])
        return grouping.cluster(queryset or Camera.objects.visible(), viewport, cell_filters)

    def test_cells_are_stale_until_rebuilt_and_then_fresh(self):
        self.assertFalse(cells.is_fresh())
        self.assertGreater(cells.rebuild(), 0)
        self.assertTrue(cells.is_fresh())

    def test_any_write_to_the_cameras_marks_them_stale(self):
        writes = [
            lambda: camera(46.0, 4.0),
            lambda: Camera.objects.filter(zone="town").update(zone="traffic"),
            lambda: Camera.objects.filter(surveillance_type="guard").delete(),
        ]
        for write in writes:
            cells.rebuild()
            write()
            self.assertFalse(cells.is_fresh())

    def test_precomputed_cells_answer_exactly_like_live_grouping(self):
        filters = [
            {"type": None, "zone": None, "dataset_id": None},
            {"type": "ALPR", "zone": None, "dataset_id": None},
            {"type": "camera", "zone": "town", "dataset_id": None},
            {"type": None, "zone": None, "dataset_id": official_dataset().pk},
        ]
        live = {(v, i): self.answer(v, None, self.queryset(f)) for v in VIEWS for i, f in enumerate(filters)}
        cells.rebuild()
        for (view, i), expected in live.items():
            with self.subTest(view=view, filters=filters[i]), self.live_grouping_forbidden():
                self.assertEqual(self.answer(view, filters[i], self.queryset(filters[i])), expected)

    def test_every_visible_camera_is_counted_once_at_every_zoom(self):
        cells.rebuild()
        for zoom in range(0, 4):
            found = self.answer((-180, -85, 180, 85, zoom), {"type": None, "zone": None, "dataset_id": None})
            self.assertEqual(sum(c["count"] for c in found["clusters"]) + len(found["cameras"]), 451)

    def test_a_stale_table_is_never_read(self):
        cells.rebuild()
        many([(45.764, 4.8357)] * 10)
        found = self.answer(VIEWS[0], {"type": None, "zone": None, "dataset_id": None})
        self.assertEqual(sum(c["count"] for c in found["clusters"]) + len(found["cameras"]), 461)

    @staticmethod
    def live_grouping_forbidden():
        return mock.patch.object(grouping, "live_cells", side_effect=AssertionError("cells were not used"))

    @staticmethod
    def queryset(cell_filters):
        queryset = Camera.objects.visible()
        if cell_filters["type"]:
            queryset = queryset.filter(surveillance_type=cell_filters["type"])
        if cell_filters["zone"]:
            queryset = queryset.filter(zone=cell_filters["zone"])
        if cell_filters["dataset_id"]:
            queryset = queryset.filter(dataset_id=cell_filters["dataset_id"])
        return queryset
