"""Reading a viewport strip by strip finds exactly the cameras a plain box query finds."""

import random

from django.db import connection

from technopolice.mapdata import mercator
from technopolice.mapdata.clusters import common, grouping
from technopolice.mapdata.models import Camera
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera, many

STRIP = 1 << grouping.STRIP_BITS


class ViewportStripTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        rng = random.Random(11)
        many([(48.8566 + rng.gauss(0, 0.01), 2.3522 + rng.gauss(0, 0.01)) for _ in range(400)])
        x, _y = mercator.to_pixels(48.8566, 2.3522)
        edge = (x >> grouping.STRIP_BITS) << grouping.STRIP_BITS  # cameras on both sides of a strip edge
        for dx in (-1, 0, 1, STRIP - 1, STRIP):
            lat, lon = mercator.to_lat_lon(edge + dx, mercator.to_pixels(48.8566, 2.3522)[1])
            camera(lat, lon)

    def plain(self, viewport):
        return set(
            Camera.objects.visible()
            .filter(x__gte=viewport.x0, x__lt=viewport.x1, y__gte=viewport.y0, y__lt=viewport.y1)
            .values_list("id", flat=True)
        )

    def test_strips_find_the_same_cameras_as_the_box_at_every_zoom(self):
        for zoom in range(3, 19):
            span = 0.6 / 2 ** (zoom - 10)
            viewport = common.Viewport.from_bbox(
                2.3522 - span, 48.8566 - span / 2, 2.3522 + span, 48.8566 + span / 2, zoom
            )
            with self.subTest(zoom=zoom):
                found = set(
                    grouping.in_viewport(Camera.objects.visible(), viewport).values_list("id", flat=True)
                )
                self.assertEqual(found, self.plain(viewport))
                self.assertTrue(found)

    def test_a_street_level_viewport_is_read_from_the_strip_index(self):
        """The query's strip expression must match the index's, or both databases ignore it."""
        if connection.vendor == "postgresql":  # with a few hundred rows it rightly prefers another way:
            with connection.cursor() as cursor:  # leave it only this index (rolled back after the test)
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("DROP INDEX camera_pixels")
        viewport = common.Viewport.from_bbox(2.34, 48.85, 2.36, 48.86, 16)
        plan = grouping.in_viewport(Camera.objects.visible(), viewport).values("id").explain()
        self.assertIn("mapdata_camera_strips", plan)
