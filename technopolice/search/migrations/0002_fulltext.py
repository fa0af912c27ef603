"""The full-text structures each database needs over search_searchentry's stems.

SQLite: an FTS5 table with external content (the entry table) kept in step by triggers.
unicode61 with remove_diacritics 2 is a second safety net: stems are already folded.
PostgreSQL: a generated tsvector (titles weigh A, bodies B) with a GIN index. The
'simple' configuration is deliberate: stemming and accent folding happened in Python, so
both backends match exactly the same words.
Note: a later migration that rebuilds search_searchentry on SQLite drops the triggers;
it must recreate them (run SQLITE_FORWARD again).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_stems, body_stems, content='search_searchentry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_fts(rowid, title_stems, body_stems) "
    "VALUES (new.id, new.title_stems, new.body_stems); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems); "
    "INSERT INTO search_fts(rowid, title_stems, body_stems) "
    "VALUES (new.id, new.title_stems, new.body_stems); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_stems), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_stems), 'B')) STORED",
    "CREATE INDEX search_entry_vector ON search_searchentry USING GIN (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN vector",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
    "postgresql": (POSTGRES_FORWARD, POSTGRES_BACKWARD),
}


def _run(direction: int):
    def run(apps, schema_editor):
        statements = STATEMENTS.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError("Search needs SQLite (FTS5) or PostgreSQL.")
        for sql in statements[direction]:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(0), _run(1))]
