"""Server-side clustering: what the map shows of a viewport, whatever the number of cameras.

Each camera keeps its Web-Mercator position as integer pixels at zoom 22 (``mercator``).
At zoom ``z`` a grid cell of ``2**CELL_BITS`` screen pixels is ``(x >> s, y >> s)`` with
``s = 22 - z + CELL_BITS``: clustering is one integer GROUP BY over the cameras inside the
viewport, which SQLite and PostgreSQL both run from the (x, y) index. A cell holding one
camera (or a few, once zoomed in far enough) is sent as single cameras, the others as a
count with their mean position and their extent (so a click can zoom onto them).

The response is bounded by construction: the viewport may cover at most
``MAX_VIEWPORT_PIXELS`` screen pixels per side, so at most (MAX / 2**CELL_BITS)² cells, and
single cameras are capped at ``MAX_SINGLES``.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, Max, Min
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from . import cluster_cells, mercator

CELL_BITS = 6  # a cluster cell is 64 screen pixels wide
MIN_ZOOM = 0
MAX_ZOOM = 20
# From this zoom on, a cell of up to SPREAD_LIMIT cameras is shown camera by camera:
# several cameras on one pole must stay reachable once the map cannot zoom further.
SPREAD_ZOOM = 17
SPREAD_LIMIT = 12
MAX_VIEWPORT_PIXELS = 3072
MAX_SINGLES = 1500
DECIMALS = 6  # about 10 cm: enough for a camera, and keeps responses small


class ViewportError(ValueError):
    """The requested viewport cannot be answered; the message is meant for the caller."""


@dataclass(frozen=True)
class Viewport:
    """A rectangle of the map at one zoom, in zoom-22 pixels (``x0 <= x < x1``, same for y)."""

    zoom: int
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def shift(self) -> int:
        return mercator.MAX_ZOOM - self.zoom + CELL_BITS

    @classmethod
    def from_bbox(cls, west: float, south: float, east: float, north: float, zoom: int) -> "Viewport":
        _check_bbox(west, south, east, north, zoom)
        x0, y0 = mercator.to_pixels(north, west)
        x1, y1 = mercator.to_pixels(south, east)
        viewport = cls(zoom, x0, y0, x1 + 1, y1 + 1)
        screen = max(x1 - x0, y1 - y0) >> (mercator.MAX_ZOOM - zoom)
        if screen > MAX_VIEWPORT_PIXELS:
            raise ViewportError(
                _("This area is too large for zoom %(zoom)d: zoom out or ask for a smaller box.")
                % {"zoom": zoom}
            )
        return viewport


def _check_bbox(west: float, south: float, east: float, north: float, zoom: int) -> None:
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        raise ViewportError(
            _("The zoom must be between %(min)d and %(max)d.") % {"min": MIN_ZOOM, "max": MAX_ZOOM}
        )
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ViewportError(
            _("The box must be west,south,east,north in degrees, with west < east and south < north.")
        )


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``"west,south,east,north"`` as four finite floats, or a ViewportError saying what is wrong."""
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or any(v != v or v in (float("inf"), float("-inf")) for v in values):
        raise ViewportError(_("The box must be four numbers: west,south,east,north."))
    return values  # type: ignore[return-value]


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


def cell_range(viewport: Viewport) -> tuple[int, int, int, int]:
    """The grid cells the viewport touches (inclusive): whole cells are answered, never halves."""
    shift = viewport.shift
    return viewport.x0 >> shift, viewport.y0 >> shift, (viewport.x1 - 1) >> shift, (viewport.y1 - 1) >> shift


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
    if cell_filters is not None and viewport.zoom <= cluster_cells.MAX_ZOOM:
        if cluster_cells.is_fresh():
            return cluster_cells.read(viewport.zoom, *cell_range(viewport), cell_filters)
        cluster_cells.schedule_rebuild()
    return live_cells(queryset, viewport)


def spread_limit(zoom: int) -> int:
    """The most cameras a cell may hold and still be sent camera by camera."""
    return SPREAD_LIMIT if zoom >= SPREAD_ZOOM else 1


def sent_alone(counts: list[int], zoom: int) -> list[bool]:
    """Which cells, in the answer's order, are sent camera by camera: those of one camera (or of
    up to SPREAD_LIMIT at street level) while the MAX_SINGLES budget lasts. Shared with the
    in-memory index (``cluster_index``), whose answers must be the same."""
    spread = spread_limit(zoom)
    budget, alone = MAX_SINGLES, []
    for n in counts:
        sent = n <= min(spread, budget)
        budget -= n if sent else 0
        alone.append(sent)
    return alone


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
            clusters.append(_cluster_json(cell))
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


def _cluster_json(cell: dict) -> dict:
    count, lat, lon, *bounds = cluster_values(
        cell["n"], cell["mx"], cell["my"], cell["x0"], cell["y0"], cell["x1"], cell["y1"]
    )
    return {"count": count, "lat": lat, "lon": lon, "bounds": bounds}


def cluster_values(n: int, mx: float, my: float, x0: int, y0: int, x1: int, y1: int) -> tuple:
    """Count, mean latitude and longitude, then west, south, east, north, rounded as sent."""
    lat, lon = mercator.to_lat_lon(mx, my)
    north, west = mercator.to_lat_lon(x0, y0)
    south, east = mercator.to_lat_lon(x1 + 1, y1 + 1)
    return (n, *(round(v, DECIMALS) for v in (lat, lon, west, south, east, north)))


CAMERA_FIELDS = ("id", "latitude", "longitude", "surveillance_type", "directions")


def _cameras(queryset) -> list[dict]:
    return [_camera_json(row) for row in queryset.values_list(*CAMERA_FIELDS).order_by("id")]


def _camera_json(row) -> dict:
    pk, lat, lon, kind, dirs = row
    return {
        "id": pk,
        "lat": round(lat, DECIMALS),
        "lon": round(lon, DECIMALS),
        "type": kind,
        "directions": dirs or [],
    }
