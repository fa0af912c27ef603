"""technopolice import_cameras_csv PATH --lon COL --lat COL: load an official list of camera sites."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ...importers import ImportFailed, Progress, read_head
from ...importers.csv_lists import MAPPABLE, CsvMapping, read_csv
from ...importers.sync import import_into, read_all
from ...models import DatasetKind

SHOWN_PROBLEMS = 20


class Command(BaseCommand):
    help = (
        "Import an official list of camera sites from a CSV file with longitude and latitude columns. "
        "--map field=COLUMN fills a camera field from a column (fields: {}); every column is also kept "
        "as written. Dates are read leniently (dd/mm/yy, dd/mm/yyyy, ISO, spreadsheet numbers; "
        "'inconnue' gives no date). Rows without a valid position are reported by line and skipped. "
        "Re-importing updates the dataset: rows are matched by --id, else by position, and sites no "
        "longer listed are marked removed. A wrong column name changes nothing.".format(", ".join(MAPPABLE))
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the CSV file")
        parser.add_argument("--lon", required=True, help="column holding the longitude (WGS 84)")
        parser.add_argument("--lat", required=True, help="column holding the latitude (WGS 84)")
        parser.add_argument("--id", dest="identifier", help="column with each site's stable identifier")
        parser.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN", help="repeatable")
        parser.add_argument("--delimiter", help="default: guessed from the header line")
        parser.add_argument("--dry-run", action="store_true", help="report the counts, change nothing")
        parser.add_argument("--dataset", help="dataset slug (default: from the file name)")
        parser.add_argument("--name", help="dataset name shown with its cameras (default: the file name)")
        parser.add_argument("--licence", help="e.g. Licence Ouverte 2.0")
        parser.add_argument("--attribution", help="who published the list")

    def handle(self, path: Path, verbosity: int = 1, **options):
        mapping = self.mapping(options)
        slug = options["dataset"] or slugify(path.stem)[:100] or "official"
        try:
            read_head(path)  # empty and missing files get the same messages as the other imports
            result = read(path, mapping, verbosity > 0)
            cameras = read_all(result.records)
            dataset = self.dataset(slug, path, options)
            given = {
                key: dataset[key] for key in ("name", "licence", "attribution") if options[key] is not None
            }
            summary = import_into(slug, dataset, cameras, options["dry_run"], refresh=given)[1]
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        self.report(path, result, summary)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was changed."))

    def mapping(self, options) -> CsvMapping:
        fields = dict(_pair(text) for text in options["map"])
        return CsvMapping(options["lon"], options["lat"], options["identifier"], fields, options["delimiter"])

    def dataset(self, slug: str, path: Path, options) -> dict:
        return {
            "slug": slug,
            "kind": DatasetKind.OFFICIAL,
            "name": (options["name"] or path.stem)[:200],
            "licence": (options["licence"] or "")[:100],
            "attribution": (options["attribution"] or "")[:300],
        }

    def report(self, path: Path, result, summary) -> None:
        for problem in result.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(f"{path.name}: {problem}")
        if len(result.problems) > SHOWN_PROBLEMS:
            self.stderr.write(_("... and %(count)d more.") % {"count": len(result.problems) - SHOWN_PROBLEMS})
        self.stdout.write(
            _("%(file)s: %(kept)d sites, %(skipped)d rows skipped. %(summary)s")
            % {
                "file": path.name,
                "kept": len(result.records),
                "skipped": len(result.problems),
                "summary": summary,
            }
        )


def read(path: Path, mapping: CsvMapping, show_progress: bool):
    progress = Progress(enabled=show_progress, unit="rows")
    try:
        result = read_csv(path, mapping, progress)
    finally:
        progress.close()
    if not result.records:
        raise ImportFailed(_("No row of %(path)s has a valid position: nothing imported.") % {"path": path})
    return result


def _pair(text: str) -> tuple[str, str]:
    field, sep, column = text.partition("=")
    if not sep or field.strip() not in MAPPABLE or not column:
        raise CommandError(
            _("--map expects FIELD=COLUMN with FIELD one of: %(fields)s (got %(text)r).")
            % {"fields": ", ".join(MAPPABLE), "text": text}
        )
    return field.strip(), column
