"""Paginating filtered lists with one pass over the table instead of two."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class OneScanPaginator(Paginator):
    """Count a filtered list and find its page with a single query.

    Django's paginator runs the filter twice: ``COUNT(*)`` for the page numbers, then the
    sorted page. A text search over descriptions cannot use an index, so each run reads
    the whole table (about 9 ms for 10,000 dossiers on SQLite and PostgreSQL). Here one
    query reads the ordered ids of every match; the count is their number and the page
    fetches its rows by primary key. Meant for lists of thousands of records (dossiers),
    not for millions (cameras): the ids travel to Python.
    """

    @cached_property
    def ordered_ids(self) -> list:
        return list(self.object_list.values_list("pk", flat=True))

    @cached_property
    def count(self) -> int:
        return len(self.ordered_ids)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.ordered_ids[bottom : bottom + self.per_page]
        found = self.object_list.order_by().in_bulk(ids)
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


def paginator_for(queryset, per_page: int) -> Paginator:
    """One scan when the list is filtered; an unfiltered list counts from an index anyway."""
    filtered = bool(getattr(getattr(queryset, "query", None), "where", None))
    return (OneScanPaginator if filtered else Paginator)(queryset, per_page)
