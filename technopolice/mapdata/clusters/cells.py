"""Precomputed cluster cells: the map's low zooms answered without scanning every camera.

At zoom 5 the viewport holds all of France: grouping the cameras live reads nearly all of
them on each request, far too slow for the map. So for every zoom up to ``MAX_ZOOM`` the
cells are grouped once, ahead of time, into ``mapdata_clustercell`` (count, sum and extent
of x and y, one camera id), split by the filterable columns (type, zone, dataset) so
filtered maps are just a WHERE away, plus one row per cell for the unfiltered map. A request
then sums at most a few thousand rows read from an index.

The table is derived data: ``rebuild()`` recomputes it whole (each zoom from the next
finer one, so only the first pass reads the cameras). A trigger marks it stale on any
write to the camera table; while stale, ``grouping`` answers from the cameras directly,
which is always correct, and a background task rebuilds.

Each rebuild also writes the in-memory index (``index``) of the same cameras, in
the same transaction, and records its token in the state row.
"""

import logging

from django.core.cache import cache
from django.db import connection, transaction
from django.tasks import task

from .. import mercator
from . import index
from .common import CELL_BITS

MAX_ZOOM = 15
FILTER_COLUMNS = {"type": "stype", "zone": "zone", "dataset_id": "dataset_id"}
QUEUED_KEY = "mapdata:cells-rebuild-queued"
logger = logging.getLogger(__name__)


def is_fresh() -> bool:
    return _state()[0] == 0


def index_token() -> str:
    """The token of the in-memory index that matches the cameras now, or "" while none does."""
    stale, token = _state()
    return token if stale == 0 else ""


def _state() -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stale, index_token FROM mapdata_clusterstate WHERE id = 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else (1, "")


# What the last rebuild of this process wrote of the in-memory index (for the command and the benchmark).
last_index: dict = {}


def rebuild() -> int:
    """Recompute every cell from the visible cameras; returns the number of cells written."""
    cells = _recompute()
    _vacuum()
    cache.delete(QUEUED_KEY)
    return cells


def _vacuum() -> None:
    """On PostgreSQL, mark the new rows all-visible so the covering index answers alone.

    Until a VACUUM, an index-only scan still visits the table for every row. VACUUM cannot
    run inside a transaction, so it is skipped when the caller holds one (tests).
    """
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE mapdata_clustercell")


@transaction.atomic
def _recompute() -> int:
    with connection.cursor() as cursor:
        # First: a camera written while we rebuild must leave the flag set (its trigger
        # waits for this row's lock, then marks the new cells stale again).
        cursor.execute("UPDATE mapdata_clusterstate SET stale = 0 WHERE id = 1")
        cursor.execute("DELETE FROM mapdata_clustercell")
        shift = mercator.MAX_ZOOM - MAX_ZOOM + CELL_BITS
        cursor.execute(_FROM_CAMERAS.format(shift=int(shift)), [MAX_ZOOM])
        for zoom in range(MAX_ZOOM - 1, -1, -1):
            cursor.execute(_FROM_FINER, [zoom, zoom + 1])
        cursor.execute(_ROLLUP, [ALL, ALL])
        cursor.execute("SELECT COUNT(*) FROM mapdata_clustercell")
        cells = cursor.fetchone()[0]
        cursor.execute("UPDATE mapdata_clusterstate SET cells = %s WHERE id = 1", [cells])
        # Fresh statistics: with stale ones PostgreSQL planned the cell reads badly, several times slower.
        cursor.execute("ANALYZE mapdata_clustercell")
        _write_index(cursor)
    return cells


def _write_index(cursor) -> None:
    """Write the in-memory index of these very cameras (camera writers wait on the state row)."""
    token = index.new_token()
    last_index.clear()
    try:
        last_index.update(index.write(token))
        index.warm(token)
    except OSError as error:
        # No room or no right to write under DATA_DIR: the SQL path answers, as before.
        logger.warning("The in-memory cluster index could not be written: %s", error)
        token = ""
    cursor.execute("UPDATE mapdata_clusterstate SET index_token = %s WHERE id = 1", [token])


_FROM_CAMERAS = """
    INSERT INTO mapdata_clustercell (zoom, cx, cy, stype, zone, dataset_id, n, sx, sy, x0, y0, x1, y1, one)
    SELECT %s, x >> {shift}, y >> {shift}, surveillance_type, zone, dataset_id,
           COUNT(*), SUM(x), SUM(y), MIN(x), MIN(y), MAX(x), MAX(y), MIN(id)
    FROM mapdata_camera WHERE removed_at IS NULL
    GROUP BY 2, 3, 4, 5, 6"""

_FROM_FINER = """
    INSERT INTO mapdata_clustercell (zoom, cx, cy, stype, zone, dataset_id, n, sx, sy, x0, y0, x1, y1, one)
    SELECT %s, cx / 2, cy / 2, stype, zone, dataset_id,
           SUM(n), SUM(sx), SUM(sy), MIN(x0), MIN(y0), MAX(x1), MAX(y1), MIN(one)
    FROM mapdata_clustercell WHERE zoom = %s
    GROUP BY 2, 3, 4, 5, 6"""


# The unfiltered map is the common case: one extra row per cell, summing every combination
# of type, zone and dataset, spares it reading up to ~30 rows per cell. Dataset 0 marks it
# (real ids start at 1).
ALL = "*"
_ROLLUP = """
    INSERT INTO mapdata_clustercell (zoom, cx, cy, stype, zone, dataset_id, n, sx, sy, x0, y0, x1, y1, one)
    SELECT zoom, cx, cy, %s, %s, 0, SUM(n), SUM(sx), SUM(sy), MIN(x0), MIN(y0), MAX(x1), MAX(y1), MIN(one)
    FROM mapdata_clustercell WHERE dataset_id <> 0
    GROUP BY zoom, cx, cy"""


def read(zoom: int, cx0: int, cy0: int, cx1: int, cy1: int, filters: dict) -> list[dict]:
    """The occupied cells of ``zoom`` within the cell range (inclusive), summed over what is not filtered.

    The columns are listed (``cx IN (...)``) rather than given as a range: with a range the
    (zoom, cx, cy) index is scanned over every cy of each column, i.e. from pole to pole,
    and only then filtered on cy; one probe per column reads just the viewport's rows.
    """
    wanted = {
        column: filters[name] for name, column in FILTER_COLUMNS.items() if filters.get(name) is not None
    }
    columns = ", ".join(["%s"] * (cx1 - cx0 + 1))
    where = f"zoom = %s AND cx IN ({columns}) AND cy BETWEEN %s AND %s"
    params: list = [zoom, *range(cx0, cx1 + 1), cy0, cy1]
    if wanted:
        where += "".join(f" AND {column} = %s" for column in wanted)
        sql = _FILTERED.format(where=where)
        params += wanted.values()
    else:
        sql = _UNFILTERED.format(where=where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [_cell(row) for row in cursor.fetchall()]


# The literal ``dataset_id = 0`` (not a parameter) lets SQLite use the partial index.
_UNFILTERED = (
    "SELECT cx, cy, n, sx, sy, x0, y0, x1, y1, one FROM mapdata_clustercell WHERE dataset_id = 0 AND {where}"
)
_FILTERED = (
    "SELECT cx, cy, SUM(n), SUM(sx), SUM(sy), MIN(x0), MIN(y0), MAX(x1), MAX(y1), MIN(one) "
    "FROM mapdata_clustercell WHERE dataset_id <> 0 AND {where} GROUP BY cx, cy"
)
_KEYS = ("cx", "cy", "n", "sx", "sy", "x0", "y0", "x1", "y1", "one")


def _cell(row) -> dict:
    cell = dict(zip(_KEYS, row, strict=True))
    cell["mx"], cell["my"] = int(cell["sx"]) / cell["n"], int(cell["sy"]) / cell["n"]
    return cell


@task()
def rebuild_task() -> int:
    return rebuild()


def schedule_rebuild() -> None:
    """Ask the worker for a rebuild, once: many requests may find the cells stale together."""
    if cache.add(QUEUED_KEY, 1, timeout=600):
        rebuild_task.enqueue()
