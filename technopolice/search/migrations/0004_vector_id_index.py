"""PostgreSQL: the GIN index holds the entries' ids too, so that it intersects a window of the newest ids itself.

A search looks for its newest matches in a window of the newest ids (search.backends). With
the ids in a btree apart, PostgreSQL reads each word's whole GIN bitmap (240,000 pages for a
word on one page in ten, at 2.6 million pages) and ANDs it with the window's. With the ids in
the same GIN index (btree_gin's operator class for bigint), the index advances the words and
the window in step, skipping the postings outside the window: its cost follows the window,
not the word's frequency. The index replaces the one of 0002, which it can serve for: a GIN
index over several columns is used for any of them.

btree_gin is a contrib extension that a database owner may create (trusted since
PostgreSQL 13). Nothing changes on SQLite.
"""

from django.db import migrations

from ._sql import sql_per_engine

POSTGRES_INDEX = "CREATE INDEX search_entry_vector_id ON search_searchentry USING GIN (vector, id)"
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    POSTGRES_INDEX,
    "DROP INDEX IF EXISTS search_entry_vector",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING GIN (vector)",
    "DROP INDEX IF EXISTS search_entry_vector_id",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_filter_indexes")]

    operations = [sql_per_engine({"postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)})]
