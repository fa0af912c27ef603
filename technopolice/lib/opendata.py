"""One open-data contract for every list of the platform (after Datasette).

Every list page has ``.json`` and ``.csv`` twins that take the same query string and
return exactly the rows the page shows, with the attribution of the data they contain:

- JSON success: ``{"ok": true, "count": N, "next": URL|null, "attribution": [...], "rows": [...]}``
- JSON error:   ``{"ok": false, "error": {"status": 400, "message": "..."}}``
- CSV: a header row of column names, then the rows; the attribution travels in the
  ``X-Attribution`` header (and per row, in a column, where rows mix datasets).

Views build a ``Table`` once and hand it to ``respond``; the HTML page reads the same
``Table``, so the three forms cannot drift apart.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

FORMATS = ("json", "csv")
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True)
class Attribution:
    """Who made the data, under which licence: shown on pages and carried by exports."""

    name: str
    licence: str
    url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": force_str(self.name), "licence": force_str(self.licence), "url": self.url}

    def __str__(self) -> str:
        return f"{self.name} ({self.licence})"


@dataclass(frozen=True)
class Column:
    """A column of a list: its machine name in exports and how to read it from a row."""

    name: str
    value: Callable[[Any], Any]


@dataclass
class Table:
    """The rows a list shows (one page of them), and what an export needs to describe them."""

    name: str
    columns: list[Column]
    rows: list[Any]
    count: int
    next_url: str | None = None
    attribution: list[Attribution] = field(default_factory=list)

    def records(self) -> Iterable[dict[str, Any]]:
        for row in self.rows:
            yield {column.name: _plain(column.value(row)) for column in self.columns}


class BadRequest(Exception):
    """Raised by a view for input it cannot answer; ``respond_error`` turns it into the error shape."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def paginate(request: HttpRequest, queryset, per_page: int, paginator: Callable = Paginator):
    """The requested page of ``queryset``; a page number past the end is an error, not a 500.

    ``paginator`` is a Paginator class or a factory (see lib.pagination.paginator_for).
    """
    try:
        size = min(int(request.GET.get("_size", per_page)), MAX_PAGE_SIZE)
        if size < 1:
            raise ValueError
    except ValueError:
        message = _("The page size must be a whole number between 1 and %(max)d.")
        raise BadRequest(message % {"max": MAX_PAGE_SIZE}) from None
    try:
        return paginator(queryset, size).page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise BadRequest(_("This page does not exist."), status=404) from None


def page_url(request: HttpRequest, page_number: int | None, path: str | None = None) -> str | None:
    """The current URL (or ``path``) with its filters kept and another page number."""
    if page_number is None:
        return None
    query = request.GET.copy()
    query["page"] = str(page_number)
    return f"{path or request.path}?{query.urlencode()}"


def respond(table: Table, fmt: str) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(
            {
                "ok": True,
                "count": table.count,
                "next": table.next_url,
                "attribution": [a.as_dict() for a in table.attribution],
                "rows": list(table.records()),
            },
            json_dumps_params={"ensure_ascii": False},
        )
    if fmt == "csv":
        return _csv_response(table)
    return respond_error(BadRequest(_("Unknown format: use .json or .csv."), status=404))


def respond_error(error: BadRequest) -> JsonResponse:
    return JsonResponse(
        {"ok": False, "error": {"status": error.status, "message": force_str(error.message)}},
        status=error.status,
        json_dumps_params={"ensure_ascii": False},
    )


def _csv_response(table: Table) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.name for c in table.columns])
    writer.writeheader()
    writer.writerows({name: _cell(value) for name, value in record.items()} for record in table.records())
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    if table.attribution:
        # HTTP headers must be latin-1: keep the attribution readable without breaking them.
        text = "; ".join(str(a) for a in table.attribution)
        response["X-Attribution"] = text.encode("ascii", "xmlcharrefreplace").decode()
    return response


def _cell(value: Any) -> Any:
    """A CSV cell: lists (communes, technologies...) as "a; b", not as a Python repr."""
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


def _plain(value: Any) -> Any:
    """Export values as JSON-friendly scalars and lists: dates as ISO strings, lazy text as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return force_str(value)
