import hashlib

from django.conf import settings
from django.test import SimpleTestCase

SAMPLES = settings.BASE_DIR / "samples"


class SamplesTests(SimpleTestCase):
    """The samples are other people's data: their quirks are handled in code, never edited away."""

    def test_the_sample_files_are_the_published_ones_unchanged(self):
        lines = (SAMPLES / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
        self.assertEqual(len(lines), 7)
        for line in lines:
            digest, name = line.split(maxsplit=1)
            with self.subTest(file=name):
                self.assertEqual(hashlib.sha256((SAMPLES / name).read_bytes()).hexdigest(), digest)

    def test_each_sample_folder_has_its_attribution(self):
        readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
        for folder, licence in [
            ("communes/", "Licence Ouverte 2.0"),
            ("osm/", "ODbL 1.0"),
            ("paris-cameras/", "ColinMaudry/geo-videoprotection-paris"),
            ("technopolice-graph/", "AGPL-3.0"),
        ]:
            with self.subTest(folder=folder):
                row = next(line for line in readme.splitlines() if line.startswith(f"| `{folder}`"))
                self.assertIn(licence, row)
