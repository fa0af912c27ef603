"""Which dossiers a list's filters match, in the list's order, with the text matched in memory.

The SQL applies every filter but the text (registry.filters). The text is matched by the
process's text index (registry.textindex), and so the SQL never reads a description. With no
other filter, the order is the kept order of every dossier (below). Sorting them was about
10 ms of SQL, now paid once per registry state. With other filters, the ids found are written
into the statement when they are few. Otherwise the order the SQL gives keeps only them.

Kept orders are those whose keys are columns of the dossier table, each write to which moves
the registry's version. The place order reads region names, which do not: it stays in SQL.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from technopolice.lib.idlists import pk_in
from technopolice.lib.text import words

from . import filters, textindex
from .models import Dossier
from .state import KeptPerState
from .textindex import TextIndex

KEPT_SORTS = ("date", "-date", "name")
# Up to this many ids found are written into the SQL of a filtered list. Beyond, reading the
# ids that the other filters match and keeping the ones found costs less than a long IN.
WRITTEN_IN = 500


@dataclass
class Kept:
    """What a process keeps for text searches, built from one registry state: its words, and
    every dossier's id in the order of each of KEPT_SORTS, filled as asked."""

    words: TextIndex
    orders: dict[str, list[int]] = field(default_factory=dict)

    def order(self, sort: str) -> list[int]:
        if sort not in self.orders:
            ordered = filters.sort_dossiers(Dossier.objects.all(), sort)
            self.orders[sort] = list(ordered.values_list("pk", flat=True))
        return self.orders[sort]


# One value for both, so that a search reads the registry's version once for them. The index
# is built through its module (not bound here), so that tests can watch the builds.
_kept = KeptPerState(lambda: Kept(textindex.build_index()))


def forget() -> None:
    _kept.forget()


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
    kept = _kept.get()
    found = kept.words.matching(query_words)
    return Matches(ordered, _ordered_ids(ordered, found, sort, kept) if found else [])


def _ordered_ids(ordered: QuerySet, found: set[int], sort: str, kept: Kept) -> list[int]:
    if not ordered.query.where and sort in KEPT_SORTS:
        return list(filter(found.__contains__, kept.order(sort)))
    if len(found) <= WRITTEN_IN:
        return list(ordered.filter(pk_in(found)).values_list("pk", flat=True))
    return list(filter(found.__contains__, ordered.values_list("pk", flat=True)))
