"""The in-memory index's answer as compiled loops (numba): one call finds the cells, one joins JSON.

Written with numpy, an answer is some twenty array calls, each with a fixed cost from Python
whatever its size: for the few cells of a street, those costs are the whole answer, and they
kept the index short of its target beside supercluster (docs/bench/map.md has the figures). Written
as loops and compiled once per machine (numba keeps the machine code in NUMBA_CACHE_DIR, which
settings.py points under DATA_DIR), the same work is one call (``from_cells``).

``NUMBA_DISABLE_JIT=1`` runs these very functions as plain Python (slowly): the answers are
the same, which is how a failure here can be told from one of the compiler.
"""

import numba
import numpy as np

# The cells are those of the index (index.py): for each zoom, sorted by row then column; ``rows`` is
# where each row of each zoom begins (``index.row_base``), ``column`` each cell's column.


@numba.njit(cache=True, nogil=True)
def from_cells(
    rows, column, n, start, order, frag_off, frags, cam_off, cams, base, cx0, cy0, cx1, cy1, spread, budget
):
    """A viewport's answer from precomputed cells: the clusters' JSON and the cameras' JSON.

    When some clusters hold a single camera (cells left past the MAX_SINGLES budget, which
    have no ready JSON), the clusters' JSON is not made: the cells sent as clusters are
    returned instead, for the caller to write (the third value is their number, else 0).
    One call from Python costs about as much as all of its work: hence one function.
    """
    cells = cells_in_view(rows, column, base, cx0, cy0, cx1, cy1)
    grouped, singles, lone = split(cells, n, start, order, spread, budget)
    cameras = join(cam_off, cams, singles)
    if lone:
        return grouped.view(np.uint8), cameras, len(grouped)
    return join(frag_off, frags, grouped), cameras, 0


@numba.njit(cache=True, nogil=True)
def cells_in_view(rows, column, base, cx0, cy0, cx1, cy1):
    """Positions of the occupied cells of a cell range, row by row, then column.

    Each row's part of the range is one run of its cells, found by two binary searches of the
    row's columns.
    """
    found = np.empty((cx1 - cx0 + 1) * (cy1 - cy0 + 1), np.int64)
    count = 0
    for cy in range(cy0, cy1 + 1):
        first, end = rows[base + cy], rows[base + cy + 1]
        if first == end:
            continue
        columns = column[first:end]
        for position in range(
            first + np.searchsorted(columns, cx0), first + np.searchsorted(columns, cx1 + 1)
        ):
            found[count] = position
            count += 1
    return found[:count]


@numba.njit(cache=True, nogil=True)
def split(cells, n, start, order, spread, budget):
    """The cells' clusters and single cameras, by ``common.sent_alone``'s rule.

    Returns the cells sent as clusters (in the cells' order), the cameras sent alone (their
    positions in id order, sorted, as the SQL path lists them by id) and how many of the
    clusters hold one camera (left past the budget: they have no ready JSON).
    """
    grouped = np.empty(len(cells), np.int64)
    alone = np.zeros(len(cells), np.bool_)
    clusters = singles = lone = 0
    for k in range(len(cells)):
        count = n[cells[k]]
        if count <= min(spread, budget):
            budget -= count
            singles += count
            alone[k] = True
        else:
            grouped[clusters] = cells[k]
            clusters += 1
            lone += count == 1
    cameras = np.empty(singles, np.int64)
    filled = 0
    for k in range(len(cells)):
        if alone[k]:
            first = start[cells[k]]
            for i in range(first, first + n[cells[k]]):
                cameras[filled] = order[i]
                filled += 1
    cameras.sort()
    return grouped[:clusters], cameras, lone


@numba.njit(cache=True, nogil=True)
def join(offsets, blob, which):
    """Pieces ``which`` of a blob (piece i is blob[offsets[i]:offsets[i + 1]]), joined by commas."""
    size = max(len(which) - 1, 0)
    for i in which:
        size += offsets[i + 1] - offsets[i]
    out = np.empty(size, np.uint8)
    at = 0
    for k in range(len(which)):
        if k:
            out[at] = 44  # ","
            at += 1
        begin, end = offsets[which[k]], offsets[which[k] + 1]
        out[at : at + end - begin] = blob[begin:end]
        at += end - begin
    return out
