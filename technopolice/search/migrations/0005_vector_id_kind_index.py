"""PostgreSQL: the GIN index holds the pages' kind too, so a search filtered by kind reads one index.

A search filtered by kind (contract, deliberation...) ANDed the GIN index's window with the
``(kind, date)`` btree of migration 0003, whose bitmap covers every page of that kind since
the date, in the whole corpus: 249,738 pages at 100,000 documents, 16 ms. The planner cannot
take a ``(kind, id)`` btree for the window instead: when it ANDs bitmaps it skips an index
whose conditions overlap those already chosen, and ``id > bound`` is the GIN index's. With
the kind in the GIN index (btree_gin's text class, over ``kind::text``, which is what the
query compares), one index scan advances words, window and kind together.

The index replaces 0004's, which it serves for: a GIN index over several columns is used for
any of them. 0003's index stays for a date range without a kind. Nothing changes on SQLite.
"""

from django.db import migrations

from ._sql import sql_per_engine

POSTGRES_FORWARD = [
    "CREATE INDEX search_entry_vector_id_kind ON search_searchentry USING GIN (vector, id, (kind::text))",
    "DROP INDEX IF EXISTS search_entry_vector_id",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector_id ON search_searchentry USING GIN (vector, id)",
    "DROP INDEX IF EXISTS search_entry_vector_id_kind",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0004_vector_id_index")]

    operations = [sql_per_engine({"postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)})]
