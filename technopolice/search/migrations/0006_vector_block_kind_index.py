"""PostgreSQL: the GIN index holds the entries' ids by blocks of 256, so a window of newest ids is a few keys.

A search reads its newest matches in a window of the newest ids (search.backends), which the
GIN index of 0005 held one key per id: btree_gin answers ``id > bound`` by walking every id of
the window in the index before it intersects them with the words. A filtered search's window
spans 100,000 to 300,000 ids on the 100,000-document benchmark (2.6 million pages): as many
index entries, 20 to 60 ms. With ``id / 256`` in the index instead, the same window is some
400 to 1,200 keys, each a compressed list of 256 ids: on the same windows, the match took
half the time. A bound rounded down to its block widens the window by fewer than 256 ids.

The index replaces 0005's. Nothing changes on SQLite.
"""

from django.db import migrations

from ._sql import sql_per_engine

BLOCK = 256  # ids per key of the window column: search.backends.PostgresBackend writes it the same way
POSTGRES_FORWARD = [
    "CREATE INDEX search_entry_vector_block_kind ON search_searchentry "
    f"USING GIN (vector, (id / {BLOCK}), (kind::text))",
    "DROP INDEX IF EXISTS search_entry_vector_id_kind",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector_id_kind ON search_searchentry "
    "USING GIN (vector, id, (kind::text))",
    "DROP INDEX IF EXISTS search_entry_vector_block_kind",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0005_vector_id_kind_index")]

    operations = [sql_per_engine({"postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)})]
