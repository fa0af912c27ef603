"""A version number of the registry, raised by triggers on every write that facets depend on.

Each process keeps an index of the registry (registry.facets) and must know, on every list
page, whether the registry changed since it was built. Counting the dossiers and reading the
latest ``updated_at`` did that in two queries, the count a full scan on PostgreSQL until the
table is vacuumed, and it missed changes that leave ``updated_at`` alone (a dossier's
technologies, a commune moved to another department). A trigger cannot forget: importers,
the admin, raw SQL and bulk updates all raise it.

A plain table, not a model: it is bookkeeping the database keeps, and a test database's
flush must not delete its one row.
"""

from django.db import migrations

TABLES = [
    "registry_dossier",
    "registry_dossier_communes",
    "registry_dossier_departments",
    "registry_dossier_regions",
    "registry_dossier_technologies",
    "registry_dossier_vendors",
    "registry_commune",
    "registry_department",
]
EVENTS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE registry_state SET version = version + 1 WHERE id = 1"
CREATE = [
    "CREATE TABLE registry_state (id integer PRIMARY KEY, version bigint NOT NULL)",
    "INSERT INTO registry_state (id, version) VALUES (1, 0)",
]
# SQLite has row triggers only; PostgreSQL raises it once per statement.
SQLITE_TRIGGERS = [
    f"CREATE TRIGGER {table}_state_{event.lower()} AFTER {event} ON {table} BEGIN {BUMP}; END"
    for table in TABLES
    for event in EVENTS
]
POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION registry_state_bump() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {BUMP}; RETURN NULL; END $$""",
    *(
        f"""CREATE TRIGGER {table}_state AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
            ON {table} FOR EACH STATEMENT EXECUTE FUNCTION registry_state_bump()"""
        for table in TABLES
    ),
]


def create(apps, schema_editor):
    triggers = POSTGRES_TRIGGERS if schema_editor.connection.vendor == "postgresql" else SQLITE_TRIGGERS
    for statement in CREATE + triggers:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER {table}_state ON {table}")
        schema_editor.execute("DROP FUNCTION registry_state_bump()")
    else:
        for table in TABLES:
            for event in EVENTS:
                schema_editor.execute(f"DROP TRIGGER {table}_state_{event.lower()}")
    schema_editor.execute("DROP TABLE registry_state")


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_dossier_indexes")]
    operations = [migrations.RunPython(create, drop)]
