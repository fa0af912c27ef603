"""Precomputed cluster cells for the map (mapdata.clusters.cells), and triggers marking them stale.

Two plain tables, not models: they are a derived index the map reads with one SQL
statement, rebuilt whole by ``cells.rebuild()``. Any write to mapdata_camera sets
the state row's ``stale`` flag (a trigger, so importers, the admin and raw SQL cannot forget),
and the map then answers from the camera table until the next rebuild.
"""

from django.db import migrations

CREATE = [
    """CREATE TABLE mapdata_clustercell (
        zoom smallint NOT NULL, cx integer NOT NULL, cy integer NOT NULL,
        stype varchar(50) NOT NULL, zone varchar(50) NOT NULL, dataset_id bigint NOT NULL,
        n integer NOT NULL, sx bigint NOT NULL, sy bigint NOT NULL,
        x0 integer NOT NULL, y0 integer NOT NULL, x1 integer NOT NULL, y1 integer NOT NULL, one bigint NOT NULL)""",
    "CREATE INDEX mapdata_clustercell_cells ON mapdata_clustercell (zoom, cx, cy)",
    "CREATE TABLE mapdata_clusterstate (id integer PRIMARY KEY, stale integer NOT NULL, cells integer NOT NULL)",
    "INSERT INTO mapdata_clusterstate (id, stale, cells) VALUES (1, 1, 0)",
]
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER mapdata_camera_cells_stale_{event.lower()} AFTER {event} ON mapdata_camera
        BEGIN UPDATE mapdata_clusterstate SET stale = 1 WHERE stale = 0; END"""
    for event in ("INSERT", "UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION mapdata_camera_cells_stale() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE mapdata_clusterstate SET stale = 1 WHERE stale = 0; RETURN NULL; END $$""",
    """CREATE TRIGGER mapdata_camera_cells_stale AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
        ON mapdata_camera FOR EACH STATEMENT EXECUTE FUNCTION mapdata_camera_cells_stale()""",
]
DROP = ["DROP TABLE mapdata_clustercell", "DROP TABLE mapdata_clusterstate"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    triggers = POSTGRES_TRIGGERS if vendor == "postgresql" else SQLITE_TRIGGERS
    for statement in CREATE + triggers:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER mapdata_camera_cells_stale ON mapdata_camera")
        schema_editor.execute("DROP FUNCTION mapdata_camera_cells_stale()")
    else:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER mapdata_camera_cells_stale_{event}")
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("mapdata", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
