"""Rebuild the map's precomputed cluster cells (mapdata.clusters.cells) and its in-memory index."""

import time

from django.core.management.base import BaseCommand

from technopolice.mapdata.clusters import cells


class Command(BaseCommand):
    help = (
        "Rebuild the map's precomputed cluster cells from the visible cameras. Run it after an import; "
        "until then the map stays correct but groups cameras live, which is slower at low zooms. "
        "It also writes the in-memory cluster index (under DATA_DIR/map-index) that workers answer from."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = cells.rebuild()
        self.stdout.write(f"{count} cluster cells rebuilt in {time.perf_counter() - started:.1f} s.")
        written = cells.last_index
        if written:
            self.stdout.write(
                f"In-memory index of {written['cameras']} cameras written in {written['seconds']:.1f} s "
                f"({written['bytes'] / 2**20:.1f} MB)."
            )
