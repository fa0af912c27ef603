"""Basemap tiles served by the platform (see mapdata.tiles)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from .. import tiles

# Tiles change rarely; a week in the browser cache spares the platform most requests.
TILE_CACHE_SECONDS = 7 * 24 * 3600


@require_GET
def tile(request, z: int, x: int, y: int):
    try:
        data = tiles.get_tile(z, x, y)
    except tiles.TileUnavailable:
        raise Http404 from None
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={TILE_CACHE_SECONDS}"
    return response
