"""The search index's migrations are raw SQL per database engine; this runs them both ways.

Not a migration itself: Django's loader skips modules whose name starts with an underscore.
"""

from django.db import migrations


def sql_per_engine(statements: dict[str, tuple[list[str], list[str]]]) -> migrations.RunPython:
    """Run ``statements[vendor]``: the forward list when migrating, the backward one when
    reversing; an engine not named runs nothing (SQLite, for an index PostgreSQL alone needs)."""

    def run(direction: int):
        def runner(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, ([], []))[direction]:
                schema_editor.execute(sql)

        return runner

    return migrations.RunPython(run(0), run(1))
