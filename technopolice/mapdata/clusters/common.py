"""What every way of answering the map shares: the grid, the viewport, the rule of the cells sent
camera by camera, and the JSON of a cluster and of a camera.

Each camera keeps its Web-Mercator position as integer pixels at zoom 22 (``mercator``).
At zoom ``z`` a grid cell of ``2**CELL_BITS`` screen pixels is ``(x >> s, y >> s)`` with
``s = 22 - z + CELL_BITS``. A cell holding one camera (or a few, once zoomed in far enough)
is sent as single cameras, the others as a count with their mean position and their extent
(so a click can zoom onto them).

The response is bounded by construction: the viewport may cover at most
``MAX_VIEWPORT_PIXELS`` screen pixels per side, so at most (MAX / 2**CELL_BITS)² cells, and
single cameras are capped at ``MAX_SINGLES``. The SQL path and the in-memory index must send
the same bytes for the same viewport: what decides those bytes lives here, once.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import mercator

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
JSON_SEPARATORS = (",", ":")


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


def cell_range(viewport: Viewport) -> tuple[int, int, int, int]:
    """The grid cells the viewport touches (inclusive): whole cells are answered, never halves."""
    shift = viewport.shift
    return viewport.x0 >> shift, viewport.y0 >> shift, (viewport.x1 - 1) >> shift, (viewport.y1 - 1) >> shift


def spread_limit(zoom: int) -> int:
    """The most cameras a cell may hold and still be sent camera by camera."""
    return SPREAD_LIMIT if zoom >= SPREAD_ZOOM else 1


def sent_alone(counts: list[int], zoom: int) -> list[bool]:
    """Which cells, in the answer's order, are sent camera by camera: those of one camera (or of
    up to SPREAD_LIMIT at street level) while the MAX_SINGLES budget lasts. The SQL path applies
    it as it is, the in-memory index as arrays and compiled loops, to the same effect."""
    spread = spread_limit(zoom)
    budget, alone = MAX_SINGLES, []
    for n in counts:
        sent = n <= min(spread, budget)
        budget -= n if sent else 0
        alone.append(sent)
    return alone


def encode(value) -> bytes:
    """JSON exactly as the view writes it, so both paths give the same bytes (and ETag)."""
    return json.dumps(value, ensure_ascii=False, separators=JSON_SEPARATORS).encode()


def cluster_json(cell: dict) -> dict:
    """A cell of several cameras as the map receives it, from its count, mean and extent."""
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


# A single camera's columns, in the order ``camera_json`` takes them.
CAMERA_FIELDS = ("id", "latitude", "longitude", "surveillance_type", "directions")


def camera_json(row) -> dict:
    """A camera sent alone, from its ``CAMERA_FIELDS``."""
    pk, lat, lon, kind, dirs = row
    return {
        "id": pk,
        "lat": round(lat, DECIMALS),
        "lon": round(lon, DECIMALS),
        "type": kind,
        "directions": dirs or [],
    }
