"""``{% load mapdata %}{% commune_cameras commune %}``: a commune's cameras, for its page.

The small map is an SVG of camera dots drawn by the server: no tiles, no script, nothing
fetched from anywhere, and it prints.
"""

from django import template
from django.db.models import Q

from technopolice.mapdata import mercator
from technopolice.mapdata.models import Camera
from technopolice.registry.models import Commune

register = template.Library()

SVG_SIZE = 200
MAX_DOTS = 3000


@register.inclusion_tag("mapdata/_commune_cameras.html")
def commune_cameras(commune) -> dict:
    # Paris, Lyon and Marseille count the cameras of their arrondissements, where imports attach them.
    # One IN over the commune and its arrondissements: an OR across the join read every commune.
    places = Commune.objects.filter(Q(pk=commune.pk) | Q(parent=commune)).values("pk")
    cameras = Camera.objects.visible().filter(commune__in=places)
    count = cameras.count()
    return {
        "commune": commune,
        "count": count,
        "per_1000": count * 1000 / commune.population if commune.population else None,
        "per_km2": count / commune.area_km2 if commune.area_km2 else None,
        "dots": _dots(commune, cameras) if count else [],
        "size": SVG_SIZE,
    }


def _dots(commune, cameras) -> list[tuple[float, float]]:
    """Camera positions scaled into the SVG square, framed on the commune (or on its cameras)."""
    pixels = list(cameras.values_list("x", "y")[:MAX_DOTS])
    x0, y0, span = _frame(commune, pixels)
    scale = (SVG_SIZE - 16) / span
    return [(round(8 + (x - x0) * scale, 1), round(8 + (y - y0) * scale, 1)) for x, y in pixels]


def _frame(commune, pixels) -> tuple[float, float, float]:
    xs, ys = [p[0] for p in pixels], [p[1] for p in pixels]
    if commune.latitude is not None and commune.radius_km:
        cx, cy = mercator.to_pixels(commune.latitude, commune.longitude)
        xs, ys = xs + [cx], ys + [cy]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1)
    return (min(xs) + max(xs) - span) / 2, (min(ys) + max(ys) - span) / 2, span
