"""PostgreSQL: the GIN index also holds the entries' ids by spans of 65,536, read one span at a time.

A window of newest ids from a bound on (0006) is read as a range: btree_gin walks the keys of
every block in it and builds a bitmap of their ids, about 80 ns per id whatever the matches.
A search whose matches are sparse (a rare word, or a narrow filter) needs a window of hundreds
of thousands of ids: 10 to 30 ms. Asked for one span by equality, the GIN index advances the
words' postings and the span's in step and skips what is not in both, so a span costs about
what its matches do: the search reads the spans one by one from the newest instead
(search.backends.PostgresBackend._by_spans). The blocks of 256 stay, for the narrow windows
of common words, where a span would hold thousands of matches to read.

The index replaces 0006's, and the table is analysed: until then the planner has no statistics
for the index's expressions and guesses at the windows' and spans' sizes. On the 100,000-document
benchmark, before the ANALYZE, the slowest one-word and phrase searches took 7 to 15 seconds.
Nothing changes on SQLite.
"""

from django.db import migrations

from ._sql import sql_per_engine

# ids per key of the window and span columns: search.backends.PostgresBackend writes them the same way
BLOCK, SPAN = 256, 65536
ANALYZE = "ANALYZE search_searchentry"  # statistics of the index's expressions, which the planner needs
POSTGRES_FORWARD = [
    "CREATE INDEX search_entry_vector_blocks_kind ON search_searchentry "
    f"USING GIN (vector, (id / {BLOCK}), (id / {SPAN}), (kind::text))",
    "DROP INDEX IF EXISTS search_entry_vector_block_kind",
    ANALYZE,
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector_block_kind ON search_searchentry "
    f"USING GIN (vector, (id / {BLOCK}), (kind::text))",
    "DROP INDEX IF EXISTS search_entry_vector_blocks_kind",
    ANALYZE,
]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_vector_block_kind_index")]

    operations = [sql_per_engine({"postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD)})]
