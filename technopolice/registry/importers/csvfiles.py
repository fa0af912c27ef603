"""Reading CSV files strictly: every problem names the file and line, in the user's language."""

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _


class ImportFailed(Exception):
    """A file cannot be imported; the message says where and why, ready to show."""


def read_rows(path: Path, columns: list[str], delimiter: str = ",") -> Iterator[tuple[int, dict]]:
    """Yield (line number, row) for each record, after checking the file and its header."""
    if not path.is_file():
        raise ImportFailed(_("File not found: %(path)s") % {"path": path})
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.DictReader(stream, delimiter=delimiter)
            _check_header(path, reader.fieldnames or [], columns)
            for row in reader:
                yield reader.line_num, row
    except UnicodeDecodeError as error:
        raise ImportFailed(
            _("%(path)s is not UTF-8 text (%(error)s).") % {"path": path, "error": error}
        ) from None
    except csv.Error as error:
        raise ImportFailed(
            _("%(path)s is not valid CSV: %(error)s") % {"path": path, "error": error}
        ) from None


def _check_header(path: Path, found: list[str], expected: list[str]) -> None:
    missing = [name for name in expected if name not in found]
    if missing:
        raise ImportFailed(
            _("%(path)s lacks the columns %(missing)s (found: %(found)s).")
            % {"path": path, "missing": ", ".join(missing), "found": ", ".join(found) or "-"}
        )


def at_line[T](path: Path, line: int, parse: Callable[[], T]) -> T:
    """Run a row parser; turn its ValueError into an ImportFailed that names the line."""
    try:
        return parse()
    except ValueError as error:
        raise ImportFailed(
            _("%(file)s, line %(line)s: %(error)s") % {"file": path.name, "line": line, "error": error}
        ) from None


def number(row: dict, column: str, kind: type = float, required: bool = True):
    """The number in a column, None when empty and allowed; ValueError with a clear message otherwise."""
    text = (row.get(column) or "").strip()
    if not text:
        if required:
            raise ValueError(_("the column %(column)s is empty") % {"column": column})
        return None
    try:
        return kind(text)
    except ValueError:
        raise ValueError(
            _("%(value)r in the column %(column)s is not a number") % {"value": text, "column": column}
        ) from None


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn import problems into CommandError: a clear message and a non-zero exit, no traceback."""
    try:
        yield
    except ImportFailed as error:
        raise CommandError(str(error)) from None
    except DatabaseError as error:
        message = _("The database refused the import, nothing was saved: %(error)s") % {"error": error}
        raise CommandError(message) from None
