from io import StringIO

from django.test import TestCase
from django.utils import translation

from ..demo import load_samples
from ..models import Camera, CameraDataset


class DemoSamplesTests(TestCase):
    def test_it_loads_monaco_and_paris_and_can_run_twice(self):
        load_samples(StringIO())
        self.assertEqual(Camera.objects.filter(dataset__slug="osm").count(), 10)
        self.assertEqual(Camera.objects.filter(dataset__slug="paris-prefecture-2019").count(), 707)
        out = StringIO()
        with translation.override("en"):
            load_samples(out)
        self.assertIn("10 unchanged", out.getvalue())
        self.assertIn("707 unchanged", out.getvalue())
        self.assertEqual(CameraDataset.objects.count(), 2)
