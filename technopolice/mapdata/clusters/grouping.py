"""The SQL path: a viewport's clusters from the database, always correct.

Clustering is one integer GROUP BY over the cameras inside the viewport (see ``common`` for
the grid), which SQLite and PostgreSQL both run from the (x, y) strip index. At low zooms that
grouping reads most of the cameras on every request, so while the precomputed cells
(``cells``) are fresh and hold the filters asked, they answer instead; while they are stale,
and for the operator filter they do not hold, the cameras are grouped live.
"""

from django.db.models import Avg, Count, F, IntegerField, Max, Min
from django.db.models.expressions import RawSQL

from .. import mercator
from . import cells as precomputed
from .common import CAMERA_FIELDS, CELL_BITS, Viewport, camera_json, cell_range, cluster_json, sent_alone

# The strips of migration 0004's index: the expression must be written exactly as there.
STRIP_BITS = 16
STRIP = RawSQL(f'("mapdata_camera"."x" >> {STRIP_BITS})', [], output_field=IntegerField())  # noqa: S611 (a constant)
MAX_STRIPS = 64  # wider viewports (low zooms) read the x range as one


def in_viewport(queryset, viewport: Viewport):
    """The cameras inside the viewport, read strip by strip when it spans few strips."""
    queryset = queryset.filter(x__gte=viewport.x0, x__lt=viewport.x1, y__gte=viewport.y0, y__lt=viewport.y1)
    strips = range(viewport.x0 >> STRIP_BITS, ((viewport.x1 - 1) >> STRIP_BITS) + 1)
    if len(strips) > MAX_STRIPS:
        return queryset
    return queryset.alias(strip=STRIP).filter(strip__in=list(strips))


def live_cells(queryset, viewport: Viewport) -> list[dict]:
    """One row per occupied cell, grouped from the cameras themselves (always up to date)."""
    shift = viewport.shift
    cx0, cy0, cx1, cy1 = cell_range(viewport)
    snapped = Viewport(viewport.zoom, cx0 << shift, cy0 << shift, (cx1 + 1) << shift, (cy1 + 1) << shift)
    return list(
        in_viewport(queryset, snapped)
        .annotate(cx=F("x").bitrightshift(shift), cy=F("y").bitrightshift(shift))
        .values("cx", "cy")
        .annotate(
            n=Count("id"),
            mx=Avg("x"),
            my=Avg("y"),
            x0=Min("x"),
            y0=Min("y"),
            x1=Max("x"),
            y1=Max("y"),
            one=Min("id"),
        )
        .order_by()
    )


def _cells(queryset, viewport: Viewport, cell_filters: dict | None) -> list[dict]:
    """Precomputed cells when they can answer (low zoom, fresh, filters they hold), else live ones."""
    if cell_filters is not None and viewport.zoom <= precomputed.MAX_ZOOM:
        if precomputed.is_fresh():
            return precomputed.read(viewport.zoom, *cell_range(viewport), cell_filters)
        precomputed.schedule_rebuild()
    return live_cells(queryset, viewport)


def cluster(queryset, viewport: Viewport, cell_filters: dict | None = None) -> dict:
    """The map's answer for a viewport: ``{"clusters": [...], "cameras": [...]}``.

    ``cell_filters`` (type, zone, dataset_id) lets precomputed cells answer; None when the
    filters include one the cells do not hold (the operator). Cells small enough are sent
    camera by camera, until MAX_SINGLES cameras; the rest stay clusters.
    """
    cells = sorted(_cells(queryset, viewport, cell_filters), key=lambda c: (c["cy"], c["cx"]))
    clusters, single_ids, spread_cells = [], [], []
    for cell, alone in zip(cells, sent_alone([c["n"] for c in cells], viewport.zoom), strict=True):
        if not alone:
            clusters.append(cluster_json(cell))
        elif cell["n"] == 1:
            single_ids.append(cell["one"])
        else:
            spread_cells.append({**cell, "zoom": viewport.zoom})
    if spread_cells:
        single_ids += _spread_ids(queryset, spread_cells)
    cameras = _cameras(queryset.filter(id__in=single_ids)) if single_ids else []
    return {"zoom": viewport.zoom, "clusters": clusters, "cameras": cameras}


def _spread_ids(queryset, cells: list[dict]) -> list[int]:
    """The ids of the cameras of small cells, from one range query over their common extent.

    (An OR of one box per cell made SQLite give up its index and scan every camera.)
    Street-level cells are small and close together, but the extent may hold dense cells
    too: only positions and ids are read here (from the strip index alone), those of other
    cells dropped, and the wanted cameras fetched with the single ones.
    """
    wanted = {(c["cx"], c["cy"]) for c in cells}
    shift = mercator.MAX_ZOOM - cells[0]["zoom"] + CELL_BITS
    extent = Viewport(
        0,
        min(c["x0"] for c in cells),
        min(c["y0"] for c in cells),
        max(c["x1"] for c in cells) + 1,
        max(c["y1"] for c in cells) + 1,
    )
    rows = in_viewport(queryset, extent).values_list("x", "y", "id").order_by()
    return [pk for x, y, pk in rows.iterator() if (x >> shift, y >> shift) in wanted]


def _cameras(queryset) -> list[dict]:
    return [camera_json(row) for row in queryset.values_list(*CAMERA_FIELDS).order_by("id")]
