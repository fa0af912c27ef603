"""Rebuild the map's precomputed cluster cells (mapdata.cluster_cells)."""

import time

from django.core.management.base import BaseCommand

from technopolice.mapdata import cluster_cells


class Command(BaseCommand):
    help = (
        "Rebuild the map's precomputed cluster cells from the visible cameras. Run it after an import; "
        "until then the map stays correct but groups cameras live, which is slower at low zooms. "
        "It also writes the in-memory cluster index (under DATA_DIR/map-index) that workers answer from."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        cells = cluster_cells.rebuild()
        self.stdout.write(f"{cells} cluster cells rebuilt in {time.perf_counter() - started:.1f} s.")
        index = cluster_cells.last_index
        if index:
            self.stdout.write(
                f"In-memory index of {index['cameras']} cameras written in {index['seconds']:.1f} s "
                f"({index['bytes'] / 2**20:.1f} MB)."
            )
