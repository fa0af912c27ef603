"""The basemap proxy: tiles fetched by the platform, cached on disk, never by the visitor.

A visitor's browser only ever asks the platform for tiles. With MAP_TILES_FILE (an MBTiles
file: SQLite holding PNG tiles) the platform serves its own tiles and asks no one. Otherwise
the platform asks the upstream
server named by MAP_TILES_URL once per tile, with its own user-agent and nothing of the
visitor (no cookie, no referer, no address: the request is built from scratch), and keeps
the tile under DATA_DIR/tiles so most views cost the upstream nothing at all.
"""

import os
import sqlite3
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


def configured() -> bool:
    return bool(settings.MAP_TILES_FILE or settings.MAP_TILES_URL)


def get_tile(z: int, x: int, y: int) -> bytes:
    """The tile's PNG bytes: from the MBTiles file, or the disk cache, or else upstream (then cached)."""
    if not configured() or not valid(z, x, y):
        raise TileUnavailable
    if settings.MAP_TILES_FILE:
        return _from_mbtiles(settings.MAP_TILES_FILE, z, x, y)
    path = cache_path(z, x, y)
    if path.exists():
        return path.read_bytes()
    data = _fetch(settings.MAP_TILES_URL.format(z=z, x=x, y=y))
    _write_atomically(path, data)
    return data


def _from_mbtiles(path: str, z: int, x: int, y: int) -> bytes:
    # MBTiles rows count from the south (TMS): flip y. Opened read-only, per request: cheap for SQLite.
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, 2**z - 1 - y),
            ).fetchone()
    except sqlite3.Error:
        raise TileUnavailable from None
    if row is None or not bytes(row[0]).startswith(PNG):
        raise TileUnavailable
    return bytes(row[0])


def _fetch(url: str) -> bytes:
    # A fresh request carries only the headers set here: nothing of the visitor's request.
    headers = {"User-Agent": USER_AGENT.format(site=settings.SITE_URL)}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the admin-set tile server)
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
