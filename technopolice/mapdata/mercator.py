"""Web-Mercator pixel coordinates, the integer grid the map clusters on.

Each camera stores its position as pixels at zoom 22 (a 2**30-pixel world, so an int32
fits). At zoom z a cluster cell of 2**k pixels is then ``x >> (22 - z + k)``: clustering
becomes an integer GROUP BY that SQLite and PostgreSQL both run on an index.
"""

import math

MAX_ZOOM = 22
WORLD_PIXELS = 256 * 2**MAX_ZOOM
MAX_LATITUDE = 85.05112878


def to_pixels(latitude: float, longitude: float) -> tuple[int, int]:
    latitude = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    x = (longitude + 180.0) / 360.0
    sin = math.sin(math.radians(latitude))
    y = 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)
    return _clamp(x * WORLD_PIXELS), _clamp(y * WORLD_PIXELS)


def to_lat_lon(x: float, y: float) -> tuple[float, float]:
    longitude = x / WORLD_PIXELS * 360.0 - 180.0
    n = math.pi - 2 * math.pi * y / WORLD_PIXELS
    latitude = math.degrees(math.atan(math.sinh(n)))
    return latitude, longitude


def _clamp(value: float) -> int:
    return min(WORLD_PIXELS - 1, max(0, int(value)))
