"""Paginating filtered lists with one pass over the table instead of two."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class OneScanPaginator(Paginator):
    """Count a filtered list and find its page with a single query.

    Django's paginator runs the filter twice: ``COUNT(*)`` for the page numbers, then the
    sorted page. A text search over descriptions cannot use an index, so each run reads
    the whole table, on SQLite and PostgreSQL alike. Here one
    query reads the ordered ids of every match; the count is their number and the page
    fetches its rows by primary key. Meant for lists of thousands of records (dossiers),
    not for millions (cameras): the ids travel to Python.

    ``rows`` is the same queryset without its filters, if the caller has it: the page's rows
    are then read by id alone. Running the filters again for them re-planned every subquery
    (place, technology) on PostgreSQL and re-read each row's text.
    """

    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

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
        rows = self.object_list.order_by() if self.rows is None else self.rows
        found = rows.in_bulk(ids)
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


def paginator_for(queryset, per_page: int, rows=None) -> Paginator:
    """One scan when the list is filtered; an unfiltered list counts from an index anyway.

    ``rows``: see OneScanPaginator."""
    filtered = bool(getattr(getattr(queryset, "query", None), "where", None))
    if filtered:
        return OneScanPaginator(queryset, per_page, rows=rows)
    return Paginator(queryset, per_page)
