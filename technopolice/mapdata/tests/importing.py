"""Helpers shared by the import tests: sample paths, running commands, database snapshots."""

import csv
from io import StringIO

from django.core.management import call_command
from django.utils import translation

from ..models import Boundary, Camera, CameraDataset
from ..samples import sample_path

MONACO = sample_path("osm", "monaco-20190930.osm.pbf")
PARIS = sample_path("paris-cameras", "cameras-geocoded.csv")


def run(command: str, *args, **options) -> str:
    """Run a command in English: the tests read its summary (the French is checked elsewhere)."""
    out = StringIO()
    with translation.override("en"):
        call_command(command, *map(str, args), stdout=out, verbosity=0, **options)
    return out.getvalue()


def snapshot() -> list:
    """Every row the imports write, to show a failed import changed nothing at all."""
    return [
        list(CameraDataset.objects.order_by("pk").values()),
        list(Camera.objects.order_by("pk").values()),
        list(Boundary.objects.order_by("pk").values()),
    ]


def real_commune(insee: str):
    """A commune made from its real row in the INSEE gazetteer sample (first postal code)."""
    from technopolice.registry.tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

    with open(sample_path("communes", "communes.csv"), encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["insee_com"] == insee)
    region = RegionFactory(code=row["insee_reg"], name=f"Région {row['insee_reg']}")
    department = DepartmentFactory(
        code=row["insee_dep"], name=f"Département {row['insee_dep']}", region=region
    )
    return CommuneFactory(
        insee=insee,
        name=row["commune_article"],
        department=department,
        latitude=float(row["lat"]),
        longitude=float(row["lng"]),
        area_km2=float(row["superficie_km2"]),
        population=int(row["population_2021"] or 0),
    )


def square(lon: float, lat: float, size: float) -> dict:
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}
