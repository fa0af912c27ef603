"""Helpers shared by the import tests: sample paths, running commands, database snapshots."""

from io import StringIO

from django.core.management import call_command

from ..models import Boundary, Camera, CameraDataset
from ..samples import sample_path

MONACO = sample_path("osm", "monaco-20190930.osm.pbf")
PARIS = sample_path("paris-cameras", "cameras-geocoded.csv")


def run(command: str, *args, **options) -> str:
    out = StringIO()
    call_command(command, *map(str, args), stdout=out, verbosity=0, **options)
    return out.getvalue()


def snapshot() -> list:
    """Every row the imports write, to show a failed import changed nothing at all."""
    return [
        list(CameraDataset.objects.order_by("pk").values()),
        list(Camera.objects.order_by("pk").values()),
        list(Boundary.objects.order_by("pk").values()),
    ]
