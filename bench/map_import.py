"""Time and peak memory to import N generated cameras through the importers' own bulk path.

    .venv/bin/python bench/map_import.py [N]                  # SQLite (a throw-away file)
    DATABASE_URL=postgres://... .venv/bin/python bench/map_import.py [N]

N defaults to 1,000,000. Cameras are spread around the real communes by population
(bench/_cameras.py), communes are loaded so that attachment runs for real, then the
same file is imported a second time (nothing changes: the diff path).
"""

import os
import resource
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopolice.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="bench-import-")

import django  # noqa: E402

django.setup()

from _cameras import generate_cameras, real_communes  # noqa: E402 (bench/, this script's folder)
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from technopolice.mapdata.importers.sync import import_into, read_all  # noqa: E402
from technopolice.mapdata.management.commands.import_osm import OSM_DATASET  # noqa: E402
from technopolice.mapdata.models import Camera, CameraDataset  # noqa: E402
from technopolice.mapdata.samples import sample_path  # noqa: E402
from technopolice.registry.models import Commune, Department, Region  # noqa: E402


def load_communes(communes) -> None:
    region = Region.objects.get_or_create(code="00", defaults={"name": "Bench", "slug": "bench"})[0]
    department = Department.objects.get_or_create(
        code="00", defaults={"name": "Bench", "slug": "bench", "region": region}
    )[0]
    Commune.objects.bulk_create(
        Commune(insee=f"B{i:04X}", name=f"C{i}", slug=f"bench-{i}", department=department, latitude=lat,
                longitude=lon, population=pop, area_km2=area, search_name=f"c{i}")
        for i, (lat, lon, pop, area) in enumerate(communes)
    )  # fmt: skip


def timed(label: str, function):
    """Run and print the wall time and the process's peak resident memory so far.

    Peak RSS rather than tracemalloc: tracing every allocation would slow the import
    several times over and miss the database driver's own memory.
    """
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<40} {seconds:8.1f} s   peak RSS so far {peak:8.0f} MiB", flush=True)
    return result


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    Camera.objects.all().delete()
    CameraDataset.objects.filter(slug="bench").delete()
    Commune.objects.filter(insee__startswith="B").delete()
    communes = real_communes(sample_path("communes", "communes.csv"))
    load_communes(communes)
    print(f"{connection.vendor}: {n:,} cameras around {len(communes):,} communes")
    cameras = timed("generate + read (records in memory)", lambda: read_all(generate_cameras(n, communes)))
    dataset = {"slug": "bench", **OSM_DATASET}
    summary = timed("first import (insert + attach)", lambda: import_into("bench", dataset, cameras)[1])
    print(f"  {summary}; attached: {Camera.objects.filter(commune__isnull=False).count():,}")
    summary = timed("same import again (diff, no change)", lambda: import_into("bench", dataset, cameras)[1])
    print(f"  {summary}")
    Camera.objects.filter(dataset__slug="bench").delete()
    Commune.objects.filter(insee__startswith="B").delete()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
