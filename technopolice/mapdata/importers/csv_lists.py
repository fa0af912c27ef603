"""Reading official lists of camera sites: CSV files with a longitude and a latitude column.

Prefectures and towns publish them in every shape, so the columns are given on the command
line (``CsvMapping``) and every cell is read leniently: decimal commas, UTF-8 or Windows-1252,
any usual delimiter, and dates written as dd/mm/yy, dd/mm/yyyy, ISO, spreadsheet serial
numbers ("40898"), "Début 2019" (kept as the year) or words such as "inconnue" (no date).
Every column is kept as written in the camera's ``tags``. A row without a usable position
is reported by its line number and skipped; the other rows are imported.
"""

import csv
import datetime
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from . import CameraRecord, ImportFailed, Progress
from .tags import camera_fields, fit

# Camera fields a column can fill (``--map field=COLUMN``); "direction" is parsed like OSM's.
MAPPABLE = (
    "operator", "zone", "surveillance", "surveillance_type", "camera_type", "camera_mount",
    "start_date", "check_date", "height", "camera_angle", "direction",
)  # fmt: skip
DATE_FIELDS = ("start_date", "check_date")
DELIMITERS = ";,\t|"
SPREADSHEET_EPOCH = datetime.date(1899, 12, 30)


@dataclass
class CsvMapping:
    longitude: str
    latitude: str
    identifier: str | None = None
    fields: dict[str, str] = field(default_factory=dict)  # camera field -> column
    delimiter: str | None = None

    def columns(self) -> list[str]:
        return [c for c in (self.longitude, self.latitude, self.identifier, *self.fields.values()) if c]


@dataclass
class CsvResult:
    records: list[CameraRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_csv(path: Path, mapping: CsvMapping, progress: Progress) -> CsvResult:
    """Every row of the list as a camera, or a problem naming its line."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return _read(path, encoding, mapping, progress)
        except UnicodeDecodeError:
            continue
        except csv.Error as error:  # a cell over the csv module's size limit, a broken quote...
            message = _("%(path)s is not a readable CSV file (%(error)s).") % {"path": path, "error": error}
            raise ImportFailed(message) from error
    raise ImportFailed(_("%(path)s is neither UTF-8 nor Windows-1252 text.") % {"path": path})


def _read(path: Path, encoding: str, mapping: CsvMapping, progress: Progress) -> CsvResult:
    result, seen = CsvResult(), set()
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.DictReader(handle, delimiter=mapping.delimiter or _sniff(handle))
        _check_columns(path, reader.fieldnames or [], mapping)
        for row in reader:
            try:
                result.records.append(_record(row, mapping, seen))
                progress.tick(kept=True)
            except ValueError as problem:
                result.problems.append(
                    _("line %(line)d: %(problem)s") % {"line": reader.line_num, "problem": problem}
                )
                progress.tick()
    return result


def _sniff(handle) -> str:
    """The delimiter most used in the header line."""
    header = handle.readline()
    handle.seek(0)
    return max(DELIMITERS, key=header.count)


def _check_columns(path: Path, available: list[str], mapping: CsvMapping) -> None:
    missing = [column for column in mapping.columns() if column not in available]
    if not available:
        raise ImportFailed(_("%(path)s is empty.") % {"path": path})
    if missing:
        raise ImportFailed(
            _("Column(s) %(missing)s not found in %(path)s. Available columns: %(available)s")
            % {"missing": ", ".join(missing), "path": path, "available": ", ".join(available)}
        )


def _record(row: dict, mapping: CsvMapping, seen: set) -> CameraRecord:
    latitude = _coordinate(row[mapping.latitude], 90, _("latitude"))
    longitude = _coordinate(row[mapping.longitude], 180, _("longitude"))
    external_id = _identifier(row, mapping, latitude, longitude, seen)
    tags = {key.strip(): value.strip() for key, value in row.items() if key and value and value.strip()}
    return CameraRecord(external_id, latitude, longitude, tags, values=_values(row, mapping))


def _coordinate(text: str | None, limit: int, name: str) -> float:
    try:
        value = float((text or "").strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(_("no valid %(name)s (%(text)r)") % {"name": name, "text": text or ""})
    return round(value, 7)


def _identifier(row: dict, mapping: CsvMapping, latitude: float, longitude: float, seen: set) -> str:
    """The row's key: its id column, else its position (repeated positions get #2, #3...)."""
    if mapping.identifier:
        key = (row[mapping.identifier] or "").strip()[:100]
        if not key or key in seen:
            raise ValueError(_("missing or repeated identifier %(id)r") % {"id": key})
    else:
        base = key = f"{latitude:.7f},{longitude:.7f}"
        number = 1
        while key in seen:
            number += 1
            key = f"{base}#{number}"
    seen.add(key)
    return key


def _values(row: dict, mapping: CsvMapping) -> dict:
    """Camera fields from the mapped columns; official lists list camera sites by default."""
    cells = {name: (row[column] or "").strip() for name, column in mapping.fields.items()}
    for name in DATE_FIELDS:
        if name in cells:
            cells[name] = parse_date(cells[name])
    values = camera_fields({"surveillance:type": "camera", "direction": cells.pop("direction", "")})
    values.update({name: fit(name, value) for name, value in cells.items()})
    return values


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d\d:.*)?$")
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")


def parse_date(text: str) -> str:
    """An ISO date (or year, or year-month) for a date as officials write it; "" when unknown."""
    text = text.strip()
    for parse in (_from_dmy, _from_iso, _from_serial, _from_year):
        found = parse(text)
        if found:
            return found
    return ""


def _from_dmy(text: str) -> str:
    match = _DMY.match(text)
    if not match:
        return ""
    day, month, year = (int(part) for part in match.groups())
    if year < 100:  # dd/mm/yy: the most recent century that does not put the date in the future
        year += 2000 if 2000 + year <= timezone.localdate().year else 1900
    return _iso(year, month, day)


def _from_iso(text: str) -> str:
    match = _ISO.match(text)
    if not match:
        return ""
    year, month, day = match.groups()
    if day:
        return _iso(int(year), int(month), int(day))
    return f"{year}-{int(month):02d}" if month and 1 <= int(month) <= 12 else year if not month else ""


def _from_serial(text: str) -> str:
    """Spreadsheets turn dates into day counts: 40898 is 21 December 2011."""
    if not re.fullmatch(r"\d{5}", text) or not 20000 <= int(text) <= 80000:
        return ""
    return (SPREADSHEET_EPOCH + datetime.timedelta(days=int(text))).isoformat()


def _from_year(text: str) -> str:
    years = _YEAR.findall(text)
    return years[0] if len(years) == 1 else ""


def _iso(year: int, month: int, day: int) -> str:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""
