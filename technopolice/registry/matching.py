"""Which dossiers a list's filters match, in the list's order, with the text matched in memory.

The SQL applies every filter but the text (registry.filters). The text is matched by the
process's text index (registry.textindex), and so the SQL never reads a description. With no
other filter, the order is the kept order of every dossier (below). Sorting them was about
10 ms of SQL, now paid once per registry state. With other filters, the ids found are written
into the statement when they are few. Otherwise the order the SQL gives keeps only them.

Kept orders are those whose keys are columns of the dossier table, each write to which moves
the registry's version. The place order reads region names, which do not: it stays in SQL.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from technopolice.lib.idlists import pk_in
from technopolice.lib.text import words

from . import filters
from .models import Dossier
from .state import KeptPerState
from .textindex import text_index

KEPT_SORTS = ("date", "-date", "name")
# Up to this many ids found are written into the SQL of a filtered list. Beyond, reading the
# ids that the other filters match and keeping the ones found costs less than a long IN.
WRITTEN_IN = 500

_orders = KeptPerState(dict)  # {sort: every dossier's id in that order}, filled as asked


def kept_order(sort: str) -> list[int]:
    """Every dossier's id in the order of ``sort`` (one of KEPT_SORTS), built once per state."""
    orders = _orders.get()
    if sort not in orders:
        orders[sort] = list(filters.sort_dossiers(Dossier.objects.all(), sort).values_list("pk", flat=True))
    return orders[sort]


def forget() -> None:
    _orders.forget()


@dataclass
class Matches:
    """What a list shows: ``queryset``, sorted and filtered by all but the text, and when there
    is a text search the ordered ``ids`` of the dossiers it shows."""

    queryset: QuerySet
    ids: list[int] | None


def matches(queryset: QuerySet, data: dict) -> Matches:
    """The dossiers of ``queryset`` that the cleaned filters of a DossierFilterForm match."""
    sort = data.get("sort") or "date"
    ordered = filters.sort_dossiers(filters.filter_dossiers(queryset, data), sort)
    query_words = words(data.get("q") or "")
    if not query_words:
        return Matches(ordered, None)
    found = text_index().matching(query_words)
    return Matches(ordered, _ordered_ids(ordered, found, sort) if found else [])


def _ordered_ids(ordered: QuerySet, found: set[int], sort: str) -> list[int]:
    if not ordered.query.where and sort in KEPT_SORTS:
        return list(filter(found.__contains__, kept_order(sort)))
    if len(found) <= WRITTEN_IN:
        return list(ordered.filter(pk_in(found)).values_list("pk", flat=True))
    return list(filter(found.__contains__, ordered.values_list("pk", flat=True)))
