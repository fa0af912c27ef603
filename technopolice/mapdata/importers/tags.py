"""Reading the OpenStreetMap surveillance scheme: which tag goes in which camera field.

Real tags are messy: ``direction`` is written in degrees, compass points, ranges and
lists, and free-text values can exceed a column. Everything here is lenient: an
unreadable value never stops an import, it is kept as written (``direction_raw``
and the full ``tags`` dictionary) and simply yields no parsed value.
"""

import math
import re

from ..models import Camera

# Model field <- OSM keys, first non-empty wins (``camera:direction`` is the scheme's key,
# plain ``direction`` the older and still common one).
SCHEME_FIELDS = {
    "surveillance": ("surveillance",),
    "surveillance_type": ("surveillance:type",),
    "camera_type": ("camera:type",),
    "camera_mount": ("camera:mount",),
    "zone": ("surveillance:zone",),
    "operator": ("operator",),
    "start_date": ("start_date",),
    "check_date": ("check_date", "survey:date"),
    "height": ("height", "camera:height"),
    "camera_angle": ("camera:angle",),
}
DIRECTION_KEYS = ("camera:direction", "direction")

_POINTS = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
COMPASS = {name: index * 22.5 for index, name in enumerate(_POINTS)}
COMPASS.update({"NORTH": 0.0, "EAST": 90.0, "SOUTH": 180.0, "WEST": 270.0})
# A list of directions is separated by ";" (the OSM convention); "," is read the same way
# because "90,270" on a pole with two cameras is far more common than a decimal comma.
_LIST_SEPARATORS = re.compile(r"[;,]")
_RANGE = re.compile(r"^(.+?)\s*-\s*(.+)$")


def parse_directions(raw: str | None) -> list[float]:
    """Every direction a tag value describes, in degrees clockwise from north, in [0, 360).

    Degrees ("240", "22.5", "45°"), compass points ("NE", "NNW"), ranges ("90-180"
    become their middle, "300-60" crosses north and becomes 0) and lists ("0;180", one
    cone per camera on the pole). Parts that cannot be read are dropped.
    """
    if not raw:
        return []
    directions = [_parse_one(part.strip()) for part in _LIST_SEPARATORS.split(raw)]
    return [d for d in directions if d is not None]


def _parse_one(text: str) -> float | None:
    text = text.upper().removesuffix("°").strip()
    single = _parse_single(text)
    if single is not None or not text:
        return single
    match = _RANGE.match(text)
    if not match:
        return None
    start, end = _parse_single(match[1]), _parse_single(match[2])
    if start is None or end is None:
        return None
    # The middle of the clockwise sweep from start to end.
    return _normalise(start + ((end - start) % 360) / 2)


def _parse_single(text: str) -> float | None:
    if text in COMPASS:
        return COMPASS[text]
    try:
        value = float(text)
    except ValueError:
        return None
    return _normalise(value) if math.isfinite(value) else None


def _normalise(degrees: float) -> float:
    value = degrees % 360
    return float(int(value)) if value == int(value) else round(value, 3)


def camera_fields(tags: dict[str, str]) -> dict:
    """The Camera field values for a tag dictionary, each cut to its column's length."""
    fields = {name: _first(tags, keys) for name, keys in SCHEME_FIELDS.items()}
    raw_direction = _first(tags, DIRECTION_KEYS)
    fields["direction_raw"] = raw_direction
    fields["directions"] = parse_directions(raw_direction)
    return {name: fit(name, value) for name, value in fields.items()}


def _first(tags: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((tags[key].strip() for key in keys if tags.get(key, "").strip()), "")


def fit(name: str, value):
    """The value cut to its Camera column's length (PostgreSQL refuses longer text)."""
    if not isinstance(value, str):
        return value
    return value[: Camera._meta.get_field(name).max_length]
