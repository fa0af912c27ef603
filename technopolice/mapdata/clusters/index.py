"""The map's clusters answered from memory, like supercluster, without a query per viewport.

The SQL path (``grouping.cluster``) reads precomputed cells or groups cameras for every
request: database and ORM work each time. Browsers' supercluster instead keeps an index in
memory, and the map's target is to answer within twice its time. This is that index on the
server, written once per rebuild of the cluster cells and shared by every worker process:

- the visible cameras, sorted along a Z-order (Morton) curve of their pixels, so that the
  cameras of any grid cell at any zoom are one contiguous run of that order;
- for each zoom up to ``MAX_ZOOM`` (18, past the SQL path's precomputed cells, which stop at
  ``cells.MAX_ZOOM``), every occupied cell, sorted by row then column (the order the
  map's answer uses), with its count, its first camera in Z-order and, when it holds several
  cameras, its cluster already written as JSON;
- each camera's JSON as the SQL path writes it, and its type, zone and dataset, so that
  street-level maps can be filtered in memory too.

An unfiltered viewport then costs two binary searches per row of cells in view and a join
of JSON pieces, in one compiled call (``kernel``); filtered street-level maps, and
zooms above ``MAX_ZOOM``, are grouped with numpy from the cameras in view.
The arrays are ``.npy`` and raw files under ``DATA_DIR/map-index/<database>/<token>/``,
memory-mapped: worker processes share the operating system's pages instead of each
building its own copy.

Consistency: the token of the index that matches the cameras is kept in
``mapdata_clusterstate`` and cleared in effect by the triggers that mark the cells stale.
Every answer first reads that one row; while stale, or when this process cannot open the
token's files, ``current`` returns None and the SQL path answers, which is always correct.
Filtered maps are answered here at street level only (``can_answer``); lower, and
with the operator filter, they take the SQL path.
"""

import hashlib
import json
import mmap
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection

from .. import mercator
from ..models import Camera
from . import common, kernel

# A cell key is (zoom << ZOOM_SHIFT) | (cy << ROW_BITS) | cx; cx < 2**22 at zoom 20.
ROW_BITS = 24
ZOOM_SHIFT = 48
COLUMN_MASK = (1 << ROW_BITS) - 1
# Precomputed cells up to this zoom (the last the map's target covers); above, the few cameras
# in view are grouped per request.
MAX_ZOOM = 18
# Written in meta.json: an index of another layout (an older release's) is not opened, and the
# SQL path answers until the next rebuild writes one of this layout.
FORMAT = 3
ARRAYS = (
    "x",
    "y",
    "order",
    "cam_off",
    "rows",
    "column",
    "n",
    "start",
    "frag_off",
    "type",
    "zone",
    "dataset_id",
)
# The filters street-level answers apply in memory (the form's cell filters), with the
# camera column each one matches.
FILTERS = {"type": "surveillance_type", "zone": "zone", "dataset_id": "dataset_id"}
BLOBS = ("cam_json", "frag_json")
# Built as int64 (sums, shifts); stored as int32 where the values always fit: pixels < 2**30,
# dataset ids, the numbers of distinct types and zones, and positions of cells < 2**31, columns
# of cells < 2**22.
STORED_TYPES = dict.fromkeys(("x", "y", "type", "zone", "dataset_id", "rows", "column"), np.int32)


def folder() -> Path:
    """This database's indexes: the test database and the benchmark's two never share one."""
    db = connection.settings_dict
    name = f"{connection.vendor}|{db.get('HOST')}|{db.get('PORT')}|{db['NAME']}"
    return Path(settings.DATA_DIR) / "map-index" / hashlib.sha256(name.encode()).hexdigest()[:16]


# --- Building --------------------------------------------------------------------------------


def new_token() -> str:
    return uuid.uuid4().hex


def write(token: str) -> dict:
    """Write the index of the visible cameras as they are in this transaction; returns its figures."""
    started = time.perf_counter()
    target = folder() / token
    scratch = folder() / f".tmp-{token}"
    scratch.mkdir(parents=True, exist_ok=True)
    arrays, blobs, values = _build(MAX_ZOOM)
    for name, array in arrays.items():
        np.save(scratch / f"{name}.npy", array.astype(STORED_TYPES.get(name, array.dtype)))
    for name, blob in blobs.items():
        (scratch / name).write_bytes(blob)
    (scratch / "values.json").write_text(json.dumps(values))
    (scratch / "meta.json").write_text(json.dumps({"format": FORMAT, "max_zoom": MAX_ZOOM}))
    scratch.rename(target)
    _remove_others(token)
    size = sum(f.stat().st_size for f in target.iterdir())
    return {"cameras": len(arrays["x"]), "bytes": size, "seconds": time.perf_counter() - started}


def warm(token: str) -> None:
    """Answer two viewports of a new index, so that numba compiles its code (or loads it from its
    disk cache) here, in the rebuild, rather than in each worker's first map request."""
    index = Index.open(folder() / token)
    index.answer(common.Viewport(0, 0, 0, mercator.WORLD_PIXELS, mercator.WORLD_PIXELS))
    index.answer(common.Viewport(MAX_ZOOM + 1, 0, 0, 1 << 16, 1 << 16))


def _remove_others(token: str) -> None:
    """Older indexes go; processes that still map their files keep reading them until they move on."""
    for path in folder().iterdir():
        if path.name != token and not path.name.startswith(".tmp-"):
            shutil.rmtree(path, ignore_errors=True)


def _build(max_zoom: int) -> tuple[dict, dict, dict]:
    cameras, values, cam_json, cam_off = _read_cameras()
    x, y = cameras["x"], cameras["y"]
    order = np.argsort(_morton(x, y), kind="stable").astype(np.int32)
    cells = _cells(x[order], y[order], max_zoom)
    frag_off = _offsets(cells.pop("fragments"))
    arrays = {**cameras, "order": order, "cam_off": cam_off, **cells, "frag_off": frag_off[0]}
    return arrays, {"cam_json": cam_json, "frag_json": frag_off[1]}, values


def _read_cameras() -> tuple[dict, dict, bytes, np.ndarray]:
    """Pixels, filter values and JSON of the visible cameras, in id order (that of singles).

    Types and zones are kept as numbers: their position in ``values`` (the distinct texts).
    """
    columns = {"x": [], "y": [], "type": [], "zone": [], "dataset_id": []}
    values = {"type": {}, "zone": {}}
    pieces = []
    fields = ("x", "y", "zone", "dataset_id", *common.CAMERA_FIELDS)
    rows = Camera.objects.visible().order_by("id").values_list(*fields)
    for x, y, zone, dataset_id, *camera in rows.iterator(chunk_size=20000):
        columns["x"].append(x)
        columns["y"].append(y)
        columns["type"].append(values["type"].setdefault(camera[3], len(values["type"])))
        columns["zone"].append(values["zone"].setdefault(zone, len(values["zone"])))
        columns["dataset_id"].append(dataset_id)
        pieces.append(common.encode(common.camera_json(camera)))
    offsets, blob = _offsets(pieces)
    arrays = {name: np.array(column, dtype=np.int64) for name, column in columns.items()}
    return arrays, {name: list(found) for name, found in values.items()}, blob, offsets


def _offsets(pieces: list[bytes]) -> tuple[np.ndarray, bytes]:
    """Byte pieces as one blob and where each starts (piece i is blob[off[i]:off[i + 1]])."""
    offsets = np.zeros(len(pieces) + 1, dtype=np.int64)
    np.cumsum([len(p) for p in pieces], out=offsets[1:])
    return offsets, b"".join(pieces)


def _spread_bits(values: np.ndarray) -> np.ndarray:
    """Put bit i of each (30-bit) value at bit 2i."""
    v = values.astype(np.uint64)
    for shift, mask in (
        (16, 0x0000FFFF0000FFFF),
        (8, 0x00FF00FF00FF00FF),
        (4, 0x0F0F0F0F0F0F0F0F),
        (2, 0x3333333333333333),
        (1, 0x5555555555555555),
    ):
        v = (v | (v << np.uint64(shift))) & np.uint64(mask)
    return v


def _morton(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Z-order codes: the cell (x >> s, y >> s) is every code sharing the bits above 2s."""
    return _spread_bits(x) | (_spread_bits(y) << np.uint64(1))


def _cells(x: np.ndarray, y: np.ndarray, max_zoom: int) -> dict:
    """Every occupied cell of zooms 0..max_zoom from the cameras in Z-order, sorted by key."""
    code = _morton(x, y)
    parts = [_zoom_cells(zoom, code, x, y) for zoom in range(max_zoom + 1)]
    keys = np.concatenate([p["keys"] for p in parts])
    by_key = np.argsort(keys, kind="stable")
    fragments = [f for p in parts for f in p["fragments"]]
    keys = keys[by_key]
    return {
        "column": keys & COLUMN_MASK,
        "rows": _row_directory(keys, max_zoom),
        "n": np.concatenate([p["n"] for p in parts])[by_key].astype(np.int32),
        "start": np.concatenate([p["start"] for p in parts])[by_key].astype(np.int32),
        "fragments": [fragments[i] for i in by_key.tolist()],
    }


def row_base(zoom: int) -> int:
    """Where zoom ``zoom``'s rows begin in the row directory: zoom k has 2**(k + 2) rows of 64-pixel
    cells (and one more entry, where its last row ends)."""
    return (1 << (zoom + 2)) - 4 + zoom


def _row_directory(keys: np.ndarray, max_zoom: int) -> np.ndarray:
    """For every zoom and row of cells, the position of its first cell in key order.

    Row cy of zoom z holds cells rows[row_base(z) + cy] to rows[row_base(z) + cy + 1]: a viewport
    reads its rows' bounds side by side (one cache line), where a binary search of the whole key
    array for each row read some ten lines of memory that no earlier answer had touched.
    """
    zooms = keys >> ZOOM_SHIFT
    directory = []
    for zoom in range(max_zoom + 1):
        first, last = np.searchsorted(zooms, (zoom, zoom + 1))
        rows = (keys[first:last] >> ROW_BITS) & COLUMN_MASK
        directory.append(first + np.searchsorted(rows, np.arange((1 << (zoom + 2)) + 1)))
    return np.concatenate(directory)


def _zoom_cells(zoom: int, code: np.ndarray, x, y) -> dict:
    shift = mercator.MAX_ZOOM - zoom + common.CELL_BITS
    cell_code = code >> np.uint64(2 * shift)
    stats = _group_stats(start := _run_starts(cell_code), x, y)
    keys = (zoom << ZOOM_SHIFT) | ((y[start] >> shift) << ROW_BITS) | (x[start] >> shift)
    return {"keys": keys, "n": stats["n"], "start": start, "fragments": _cluster_fragments(stats)}


def _run_starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Where each run of equal keys begins."""
    if not len(sorted_keys):
        return np.zeros(0, np.int64)
    return np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])


def _group_stats(start: np.ndarray, x, y) -> dict:
    """Count, sums and extent of each run of cameras beginning at ``start``."""
    if not len(start):
        return {key: np.zeros(0, np.int64) for key in ("n", "sx", "sy", "x0", "y0", "x1", "y1")}
    return {
        "n": np.diff(np.r_[start, len(x)]),
        "sx": np.add.reduceat(x, start),
        "sy": np.add.reduceat(y, start),
        "x0": np.minimum.reduceat(x, start),
        "y0": np.minimum.reduceat(y, start),
        "x1": np.maximum.reduceat(x, start),
        "y1": np.maximum.reduceat(y, start),
    }


def _cluster_fragments(stats: dict) -> list[bytes]:
    """The cluster JSON of every cell of several cameras (one camera is sent as a camera)."""
    columns = [stats[k].tolist() for k in ("n", "sx", "sy", "x0", "y0", "x1", "y1")]
    return [
        _cluster(n, sx, sy, x0, y0, x1, y1) if n > 1 else b""
        for n, sx, sy, x0, y0, x1, y1 in zip(*columns, strict=True)
    ]


# common.cluster_json as the view's json.dumps writes it (compact, floats by repr as json
# does), formatted directly: json.dumps of a dict per cell was most of the index's build time.
# The tests compare the two paths byte for byte.
CLUSTER_JSON = '{"count":%d,"lat":%r,"lon":%r,"bounds":[%r,%r,%r,%r]}'


def _cluster(n, sx, sy, x0, y0, x1, y1) -> bytes:
    """The SQL path's cluster JSON, from the same mean (sum / count, correctly rounded)."""
    return (CLUSTER_JSON % common.cluster_values(n, sx / n, sy / n, x0, y0, x1, y1)).encode()


# --- Reading ---------------------------------------------------------------------------------

# The endpoint's response body; ``%b`` takes the kernel's byte arrays as they are.
BODY = b'{"ok":true,"zoom":%d,"clusters":[%b],"cameras":[%b]}'


@dataclass
class Index:
    token: str
    max_zoom: int
    arrays: dict
    blobs: dict
    values: dict

    @classmethod
    def open(cls, path: Path) -> "Index":
        meta = json.loads((path / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"index of format {meta.get('format')}, not {FORMAT}")
        arrays = {name: _load(path / f"{name}.npy") for name in ARRAYS}
        blobs = {name: np.frombuffer(_map(path / name), dtype=np.uint8) for name in BLOBS}
        values = json.loads((path / "values.json").read_text())
        return cls(path.name, meta["max_zoom"], arrays, blobs, values)

    def answer(self, viewport: common.Viewport, filters: dict | None = None) -> bytes:
        """The response body for a viewport, byte for byte what the SQL path sends.

        ``filters`` are the form's cell filters (values None when not filtered); see ``can_answer``.
        """
        filters = {k: v for k, v in (filters or {}).items() if v is not None}
        if viewport.zoom <= self.max_zoom and not filters:
            return self._from_cells(viewport)
        cluster_parts, singles = self._from_cameras(viewport, filters)
        cameras = kernel.join(self.arrays["cam_off"], self.blobs["cam_json"], singles)
        return BODY % (viewport.zoom, cluster_parts, cameras)

    def _from_cells(self, viewport) -> bytes:
        """Precomputed cells, in one compiled call (``kernel.from_cells``).

        The cells ``common.sent_alone`` picks are sent camera by camera (a cell's cameras are
        one run of the Z-order), the others as their ready cluster.
        """
        a, zoom = self.arrays, viewport.zoom
        clusters_json, cameras, lone = kernel.from_cells(
            *(a["rows"], a["column"], a["n"], a["start"], a["order"], a["frag_off"], self.blobs["frag_json"]),
            *(a["cam_off"], self.blobs["cam_json"], row_base(zoom), *common.cell_range(viewport)),
            *(common.spread_limit(zoom), common.MAX_SINGLES),
        )
        if lone:
            clusters_json = b",".join(self._with_lone_clusters(clusters_json.view(np.int64)))
        return BODY % (zoom, clusters_json, cameras)

    def _with_lone_clusters(self, grouped: np.ndarray) -> list[bytes]:
        """The clusters' JSON when some hold one camera (left past MAX_SINGLES, they have no piece)."""
        parts = _pieces(self.arrays["frag_off"], self.blobs["frag_json"], grouped)
        firsts = self.arrays["order"][self.arrays["start"][grouped]].tolist()
        pairs = zip(parts, firsts, strict=True)
        return [part if len(part) else self._lone_cluster(one) for part, one in pairs]

    def _lone_cluster(self, position: int) -> bytes:
        x, y = int(self.arrays["x"][position]), int(self.arrays["y"][position])
        return _cluster(1, x, y, x, y, x, y)

    def _cells_in_view(self, zoom: int, cx0: int, cy0: int, cx1: int, cy1: int) -> np.ndarray:
        """Positions of the occupied cells of ``zoom`` in a cell range, row by row, then column."""
        arrays = self.arrays
        return kernel.cells_in_view(arrays["rows"], arrays["column"], row_base(zoom), cx0, cy0, cx1, cy1)

    def _from_cameras(self, viewport, filters: dict) -> tuple[bytes, np.ndarray]:
        """Street level: group the cameras in view, found through the finest precomputed cells."""
        shift = viewport.shift
        cx0, cy0, cx1, cy1 = common.cell_range(viewport)
        box = (cx0 << shift, cy0 << shift, ((cx1 + 1) << shift) - 1, ((cy1 + 1) << shift) - 1)
        coarse_zoom = min(viewport.zoom, self.max_zoom)
        coarse = mercator.MAX_ZOOM - coarse_zoom + common.CELL_BITS
        cells = self._cells_in_view(coarse_zoom, *(v >> coarse for v in box))
        starts = self.arrays["start"][cells]
        position = self.arrays["order"][_ranges(starts, starts + self.arrays["n"][cells])]
        x, y = self.arrays["x"][position].astype(np.int64), self.arrays["y"][position].astype(np.int64)
        inside = (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])
        for name, wanted in filters.items():
            inside &= self.arrays[name][position] == self._code(name, wanted)
        return _group_in_view(position[inside], x[inside], y[inside], viewport)

    def _code(self, name: str, value) -> int:
        """The stored number of a filter value; -1 (matching nothing) for a value no camera has."""
        if name not in self.values:
            return value
        try:
            return self.values[name].index(value)
        except ValueError:
            return -1


def _pieces(offsets: np.ndarray, blob, which: np.ndarray) -> list[bytes]:
    """Pieces ``which`` of a blob (see ``_offsets``)."""
    if not len(which):
        return []
    starts, ends = offsets[which].tolist(), offsets[which + 1].tolist()
    return [blob[a:b] for a, b in zip(starts, ends, strict=True)]


def _group_in_view(position, x, y, viewport) -> tuple[bytes, np.ndarray]:
    """Group cameras into the viewport's cells, in the order of the SQL path (row, then column):
    the clusters' JSON, joined, and the cameras sent alone, sorted."""
    shift = viewport.shift
    key = ((y >> shift) << ROW_BITS) | (x >> shift)
    by_cell = np.argsort(key, kind="stable")
    position, x, y, key = position[by_cell], x[by_cell], y[by_cell], key[by_cell]
    stats = _group_stats(_run_starts(key), x, y)
    single = _alone(stats["n"], viewport.zoom)
    columns = [stats[k][~single].tolist() for k in ("n", "sx", "sy", "x0", "y0", "x1", "y1")]
    parts = [_cluster(*cell) for cell in zip(*columns, strict=True)]
    return b",".join(parts), np.sort(position[np.repeat(single, stats["n"])])


def _alone(n: np.ndarray, zoom: int) -> np.ndarray:
    """``common.sent_alone`` of an array of cell counts, as a boolean array.

    When the cells small enough to be sent camera by camera hold at most MAX_SINGLES cameras
    together, the budget never refuses one of them: they are the answer, found without a
    Python loop. Otherwise the rule itself decides, cell by cell.
    """
    small = n <= common.spread_limit(zoom)
    if int(n[small].sum()) <= common.MAX_SINGLES:
        return small
    return np.array(common.sent_alone(n.tolist(), zoom), dtype=bool)


def _ranges(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The concatenation of range(lo[i], hi[i]) (each hi[i] >= lo[i]), without a Python loop."""
    sizes = hi - lo
    ends = np.cumsum(sizes)
    if not len(ends) or not ends[-1]:
        return np.zeros(0, np.int64)
    # output k, in range i (which starts at output ends[i] - sizes[i]), is lo[i] + k - that start
    return np.arange(ends[-1]) + np.repeat(lo - ends + sizes, sizes)


def _load(path: Path) -> np.ndarray:
    """A memory-mapped array, seen as a plain ndarray: still the file's shared pages, but
    without np.memmap's subclass, whose wrapping of every numpy result cost more than the
    numpy call itself: most of an answer's time."""
    return np.load(path, mmap_mode="r").view(np.ndarray)


def _map(path: Path):
    """A read-only map of a raw file (an empty file cannot be mapped: it reads as b"")."""
    if not path.stat().st_size:
        return b""
    with path.open("rb") as handle:
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


def can_answer(zoom: int, filters: dict | None, max_zoom: int) -> bool:
    """The whole map at any zoom; filtered maps (type, zone, dataset) above ``max_zoom`` only.

    Filtered low zooms would need cells per filter value: the SQL path has them up to
    ``max_zoom`` (``cells.MAX_ZOOM``). ``filters`` None means a filter the index does
    not hold (the operator).
    """
    if filters is None:
        return False
    return zoom > max_zoom or all(v is None for v in filters.values())


# --- This process's index --------------------------------------------------------------------

_opened: Index | None = None


def current(token: str) -> Index | None:
    """This process's index for ``token``, opened on first use; None when its files are missing
    or of another format."""
    global _opened
    if _opened is not None and _opened.token == token:
        return _opened
    path = folder() / token
    try:
        _opened = Index.open(path)
    except (OSError, ValueError):
        return None
    return _opened
