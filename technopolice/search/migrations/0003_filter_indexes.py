"""Indexes that keep a filtered search bounded on a large corpus (see search.backends).

PostgreSQL: a filter on the kind and date becomes one more bitmap ANDed with the GIN index's,
so the heap is read for the pages that pass it only. SQLite: FTS5 yields its matches first
and each is checked against the filters; this covering index holds every column the check and
the candidates need, so the wide entry rows (text and stems, in overflow pages) are not read.
"""

from django.db import migrations

from ._sql import sql_per_engine

STATEMENTS = {
    "sqlite": (
        [
            "CREATE INDEX search_entry_filters ON search_searchentry "
            "(id, entry_type, object_id, page, kind, date, places, technologies)"
        ],
        ["DROP INDEX IF EXISTS search_entry_filters"],
    ),
    "postgresql": (
        ["CREATE INDEX search_entry_kind_date ON search_searchentry (kind, date)"],
        ["DROP INDEX IF EXISTS search_entry_kind_date"],
    ),
}


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [sql_per_engine(STATEMENTS)]
