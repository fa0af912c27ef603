"""The basemap proxy: tiles fetched by the platform, cached on disk, never by the visitor.

A visitor's browser only ever asks the platform for tiles; the platform asks the upstream
server named by MAP_TILES_URL once per tile, with its own user-agent and nothing of the
visitor (no cookie, no referer, no address: the request is built from scratch), and keeps
the tile under DATA_DIR/tiles so most views cost the upstream nothing at all.
"""

import os
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

MAX_TILE_BYTES = 2 * 1024 * 1024
TIMEOUT_SECONDS = 10
USER_AGENT = "Technopolice tile proxy (+{site})"
PNG = b"\x89PNG\r\n\x1a\n"


class TileUnavailable(Exception):
    """No tile to give: none configured, out of range, or the upstream failed."""


def valid(z: int, x: int, y: int) -> bool:
    return 0 <= z <= settings.MAP_TILES_MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z


def cache_path(z: int, x: int, y: int) -> Path:
    return Path(settings.DATA_DIR) / "tiles" / str(z) / str(x) / f"{y}.png"


def get_tile(z: int, x: int, y: int) -> bytes:
    """The tile's PNG bytes, from the disk cache or else from upstream (then cached)."""
    if not settings.MAP_TILES_URL or not valid(z, x, y):
        raise TileUnavailable
    path = cache_path(z, x, y)
    if path.exists():
        return path.read_bytes()
    data = _fetch(settings.MAP_TILES_URL.format(z=z, x=x, y=y))
    _write_atomically(path, data)
    return data


def _fetch(url: str) -> bytes:
    # A fresh request carries only the headers set here: nothing of the visitor's request.
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT.format(site=settings.SITE_URL)})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (admin-set URL)
            data = response.read(MAX_TILE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError):
        raise TileUnavailable from None
    if len(data) > MAX_TILE_BYTES or not data.startswith(PNG):
        raise TileUnavailable
    return data


def _write_atomically(path: Path, data: bytes) -> None:
    """Two visitors fetching the same tile must never leave a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
