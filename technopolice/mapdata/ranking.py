"""Communes ranked by camera density: the one question the ranking page and its twins answer."""

from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, NullIf

from technopolice.lib import opendata
from technopolice.lib.opendata import Column, Table
from technopolice.registry.models import Commune

from .exports import attribution_of
from .models import CameraDataset


def density_rows(queryset):
    """Communes with their visible cameras, per 1,000 inhabitants and per km² (floats on every database)."""
    count = Count("cameras", filter=Q(cameras__removed_at__isnull=True))
    return (
        queryset.filter(population__gt=0)
        .annotate(cameras_count=count)
        .filter(cameras_count__gt=0)
        .annotate(
            per_1000=Cast("cameras_count", FloatField()) * 1000.0 / Cast("population", FloatField()),
            per_km2=Cast("cameras_count", FloatField()) / NullIf(F("area_km2"), 0.0),
        )
    )


def ranked(min_population: int | None, department: str):
    queryset = Commune.objects.select_related("department")
    if min_population:
        queryset = queryset.filter(population__gte=min_population)
    if department:
        queryset = queryset.filter(department__code=department.upper())
    return density_rows(queryset).order_by("-per_1000", "name")


COLUMNS = [
    Column("insee", lambda c: c.insee),
    Column("name", lambda c: c.name),
    Column("department", lambda c: c.department.code),
    Column("population", lambda c: c.population),
    Column("area_km2", lambda c: c.area_km2),
    Column("cameras", lambda c: c.cameras_count),
    Column("per_1000_inhabitants", lambda c: round(c.per_1000, 3)),
    Column("per_km2", lambda c: round(c.per_km2, 3) if c.per_km2 is not None else None),
]


def ranking_table(request, filters: dict, per_page: int):
    page = opendata.paginate(request, ranked(filters["min_population"], filters["department"]), per_page)
    next_url = opendata.page_url(request, page.next_page_number() if page.has_next() else None)
    attribution = [attribution_of(d) for d in CameraDataset.objects.all()]
    return Table("ranking", COLUMNS, list(page), page.paginator.count, next_url, attribution), page
