import io

from django.core.management import call_command

from technopolice.mapdata.clusters import cells
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import many


class RefreshMapClustersTests(BaseTestCase):
    def test_it_rebuilds_the_cells_and_says_how_many(self):
        many([(45.0, 4.0), (45.0, 4.0), (46.0, 5.0)])
        out = io.StringIO()
        call_command("refresh_map_clusters", stdout=out)
        self.assertTrue(cells.is_fresh())
        # 16 zooms (0..15) of one or two occupied cells, each once for its filter values and once unfiltered
        self.assertRegex(out.getvalue(), r"^\d+ cluster cells rebuilt in [\d.]+ s\.\n")
        self.assertRegex(
            out.getvalue(), r"\nIn-memory index of 3 cameras written in [\d.]+ s \([\d.]+ MB\)\.\n$"
        )
        count = int(out.getvalue().split()[0])
        self.assertGreaterEqual(count, 32)
        self.assertLessEqual(count, 64)
