"""Rebuild the map's precomputed cluster cells (mapdata.cluster_cells)."""

import time

from django.core.management.base import BaseCommand

from technopolice.mapdata import cluster_cells


class Command(BaseCommand):
    help = (
        "Rebuild the map's precomputed cluster cells from the visible cameras. Run it after an import; "
        "until then the map stays correct but groups cameras live, which is slower at low zooms."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        cells = cluster_cells.rebuild()
        self.stdout.write(f"{cells} cluster cells rebuilt in {time.perf_counter() - started:.1f} s.")
