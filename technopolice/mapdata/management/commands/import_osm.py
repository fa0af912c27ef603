"""technopolice import_osm PATH: load the surveillance cameras of an OpenStreetMap file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...importers import ImportFailed, Progress, detect_format
from ...importers.osm import read_osm
from ...importers.overpass import read_overpass
from ...importers.sync import import_into, read_all
from ...models import DatasetKind

OSM_DATASET = {
    "kind": DatasetKind.OSM,
    "name": "OpenStreetMap",
    "licence": "ODbL 1.0",
    "attribution": "© OpenStreetMap contributors",
}


class Command(BaseCommand):
    help = (
        "Import every node, way and multipolygon tagged man_made=surveillance from an OpenStreetMap "
        "file: .osm.pbf, .osm XML (plain, .gz or .bz2) or Overpass API JSON, recognised by content. "
        "The dataset then holds exactly this file's cameras: cameras it no longer contains are marked "
        "removed (kept, hidden from the map), so use one dataset per area. The whole file is read "
        "before anything is written; a corrupt file changes nothing. For a country extract, "
        "`osmium tags-filter FILE nwr/man_made=surveillance` first makes the import much faster."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .osm.pbf, .osm or Overpass .json file")
        parser.add_argument("--dry-run", action="store_true", help="report the counts, change nothing")
        parser.add_argument("--dataset", default="osm", help="slug of the dataset to update (default: osm)")
        parser.add_argument(
            "--node-locations",
            default="flex_mem",
            help="pyosmium node location storage (default flex_mem, in memory); for a country extract "
            "'dense_file_array,/var/tmp/nodes.cache' keeps them on disk",
        )

    def handle(self, path: Path, dataset: str, node_locations: str, verbosity: int = 1, **options):
        try:
            cameras, progress = read_cameras(path, verbosity > 0, node_locations)
            summary = import_into(dataset, {"slug": dataset, **OSM_DATASET}, cameras, options["dry_run"])[1]
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(file)s: %(read)d elements read, %(kept)d cameras. %(summary)s")
            % {"file": path.name, "read": progress.read, "kept": len(cameras), "summary": summary}
        )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))


def read_cameras(path: Path, show_progress: bool = False, locations: str = "flex_mem"):
    """All cameras of an OSM or Overpass file, by external id, and the progress counters."""
    file_format = detect_format(path)
    progress = Progress(enabled=show_progress)
    try:
        if file_format == "json":
            return read_all(read_overpass(path, progress)), progress
        return read_all(read_osm(path, file_format, progress, locations)), progress
    finally:
        progress.close()
