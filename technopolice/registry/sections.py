"""The titled sections of dossiers on place pages: the place's own, then those covering it.

A commune page has up to five sections (its own dossiers, its parent city's, its department's,
its region's, the whole country's), each showing its first ``SECTION_SIZE`` dossiers and how
many there are in all. Asked one by one, that was ten queries, and Django compiled each of
them (a third of the page's time: bench/registry_pages.py, profiled with cProfile). Here the
sections are one statement: a UNION ALL of the sections' conditions, numbered and counted by
window functions (both SQLite and PostgreSQL have them), then one query for the rows shown.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Q, Value
from django.urls import reverse

from .listing import attach_links
from .models import Dossier

SECTION_SIZE = 20
# Sections covering a place from above (parent city, department, region, country) show fewer:
# they are the same on hundreds of pages, and their titles link to the place's own page, which
# lists them all. A big city's page went from 80 rows to 50 (the page's heaviest part).
WIDER_SECTION_SIZE = 10
# What a row of a dossier table reads (templatetags/dossiers.py): nothing more is fetched.
ROW_FIELDS = (
    "slug", "title", "status", "is_example", "disputed", "last_checked",
    "start_date", "end_date", "is_national",
)  # fmt: skip


@dataclass
class Section:
    """A titled list of dossiers on a place page, cut to ``size``, with a link to all of them."""

    title: str
    condition: Q
    url: str = ""
    size: int = SECTION_SIZE
    page_url: str = ""  # the page of the place the section is about, linked from its title
    dossiers: list = field(default_factory=list)
    count: int = 0


def section(title, condition: Q, list_filters: dict | None = None, size: int = SECTION_SIZE) -> Section:
    """A section to fill with ``filled``; ``list_filters`` make its link to the dossier list."""
    url = reverse("registry:dossier_list") + "?" + urlencode(list_filters) if list_filters else ""
    return Section(title, condition, url, size)


def _found(sections: list[Section]):
    """(section, its size, dossier, start_date, title) of every dossier of every section, as one
    UNION ALL."""
    first, *others = [
        Dossier.objects.filter(s.condition)
        .annotate(section=Value(number), size=Value(s.size))
        .order_by()
        .values_list("section", "size", "pk", "start_date", "title")
        for number, s in enumerate(sections)
    ]
    return (first.union(*others, all=True) if others else first).order_by()


def _shown(sections: list[Section]) -> list[tuple[int, int, int]]:
    """(section, dossier, count of its section) for the first ``size`` dossiers of each section,
    newest first (undated last), then by title, as the list sorts them."""
    found, params = _found(sections).query.sql_with_params()
    sql = (
        "SELECT section, pk, total FROM ("  # noqa: S608 (compiled by the ORM, values are parameters)
        " SELECT section, size, pk, COUNT(*) OVER (PARTITION BY section) AS total,"
        " ROW_NUMBER() OVER (PARTITION BY section ORDER BY start_date DESC NULLS LAST, title) AS position"
        f" FROM ({found}) AS found) AS ranked"
        " WHERE position <= size ORDER BY section, position"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def filled(*sections: Section) -> list[Section]:
    """The sections with their dossiers, counts, and the dossiers' links: three queries in all."""
    sections = list(sections)
    shown = _shown(sections)
    rows = Dossier.objects.only(*ROW_FIELDS).in_bulk({dossier for _s, dossier, _n in shown})
    for number, dossier, total in shown:
        sections[number].dossiers.append(rows[dossier])
        sections[number].count = total
    attach_links(rows.values())
    return sections
