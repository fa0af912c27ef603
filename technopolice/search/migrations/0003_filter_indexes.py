"""Indexes that keep a filtered search bounded on a large corpus (see search.backends).

PostgreSQL: a filter on the kind and date becomes one more bitmap ANDed with the GIN index's,
so the heap is read for the pages that pass it only. SQLite: FTS5 yields its matches first
and each is checked against the filters; this covering index holds every column the check and
the candidates need, so the wide entry rows (text and stems, in overflow pages) are not read.
"""

from django.db import migrations

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


def _run(direction: int):
    def run(apps, schema_editor):
        for sql in STATEMENTS[schema_editor.connection.vendor][direction]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(_run(0), _run(1))]
