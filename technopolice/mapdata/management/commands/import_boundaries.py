"""technopolice import_boundaries PATH: load commune contours so cameras attach by point in polygon."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from technopolice.registry.models import Commune

from ...importers import ImportFailed, Progress, detect_format
from ...importers.attach import reattach_cameras
from ...importers.boundaries import read_geojson_boundaries, read_osm_boundaries
from ...models import Boundary


class Command(BaseCommand):
    help = (
        "Import commune contours from an OpenStreetMap extract (.osm.pbf or .osm: boundary=administrative, "
        "admin_level=8 with ref:INSEE) or a GeoJSON FeatureCollection whose features carry an INSEE code "
        "property. Contours replace those already known for the same communes; codes unknown to the "
        "registry are skipped. Every camera is then attached again, by point in polygon where a "
        "contour exists."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an OSM extract or a GeoJSON file")
        parser.add_argument(
            "--property",
            dest="insee_property",
            help="GeoJSON property with the INSEE code (default: guessed)",
        )

    def handle(self, path: Path, insee_property: str | None = None, verbosity: int = 1, **options):
        try:
            contours = read_contours(path, insee_property, verbosity > 0)
            saved, unknown, moved = save_contours(contours, path.name)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "%(saved)d contours imported, %(unknown)d with an INSEE code unknown here, "
                "%(moved)d cameras moved."
            )
            % {"saved": saved, "unknown": unknown, "moved": moved}
        )


def read_contours(path: Path, insee_property: str | None, show_progress: bool) -> dict:
    """Contours by INSEE code, read to the end before anything is written."""
    file_format = detect_format(path)
    if file_format == "json":
        return dict(read_geojson_boundaries(path, insee_property))
    progress = Progress(enabled=show_progress)
    try:
        return dict(read_osm_boundaries(path, file_format, progress))
    finally:
        progress.close()


@transaction.atomic
def save_contours(contours: dict, source: str) -> tuple[int, int, int]:
    communes = dict(Commune.objects.filter(insee__in=contours).values_list("insee", "id"))
    Boundary.objects.filter(commune_id__in=communes.values()).delete()
    Boundary.objects.bulk_create(
        _boundary(communes[code], geometry, source) for code, geometry in contours.items() if code in communes
    )
    return len(communes), len(contours) - len(communes), reattach_cameras()


def _boundary(commune_id: int, geometry, source: str) -> Boundary:
    west, south, east, north = geometry.bounds
    return Boundary(
        commune_id=commune_id,
        geometry=geometry.__geo_interface__,
        min_longitude=west,
        min_latitude=south,
        max_longitude=east,
        max_latitude=north,
        source=source[:200],
    )
