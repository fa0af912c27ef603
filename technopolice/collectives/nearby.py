"""Collectives near a commune: "collectives near Nice, within 20 km".

The rule: the communes whose gazetteer centre (``Commune.latitude``/``longitude``) lies within
the radius of the chosen commune's centre, then the listed collectives that cover one of them
(or its parent city, as ``covering_commune`` counts Paris for its arrondissements) or one of
their departments. A collective's distance is that of the nearest commune it covers that way:
a collective of the whole department of the chosen commune is at 0 km, like one of the commune
itself.

The database first keeps the communes of the radius's bounding box (a range on latitude and
longitude, which both SQLite and PostgreSQL answer without any geographic extension); the exact
great-circle distance is then computed here for those few hundred rows.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from technopolice.registry.models import Commune

from .models import Collective

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_DEGREE_OF_LATITUDE = math.pi * EARTH_RADIUS_KM / 180


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) of a box that holds the whole disc: a degree of longitude
    shrinks with the cosine of the latitude, taken at the disc's edge nearest the pole."""
    d_lat = radius_km / KM_PER_DEGREE_OF_LATITUDE
    widest = min(abs(lat) + d_lat, 89.0)
    d_lon = min(radius_km / (KM_PER_DEGREE_OF_LATITUDE * math.cos(math.radians(widest))), 180.0)
    return lat - d_lat, lat + d_lat, lon - d_lon, lon + d_lon


@dataclass(frozen=True, slots=True)
class Nearby:
    """A commune whose centre lies within the radius, and how far."""

    pk: int
    department_id: int
    parent_id: int | None
    km: float


def communes_near(centre: Commune, radius_km: float) -> list[Nearby]:
    """The communes whose centre lies within ``radius_km`` of ``centre``'s, nearest first."""
    rows = Commune.objects.filter(_in_box(centre, radius_km)).values_list(
        "pk", "department_id", "parent_id", "latitude", "longitude"
    )
    found = []
    for pk, department_id, parent_id, lat, lon in rows:
        km = haversine_km(centre.latitude, centre.longitude, lat, lon)
        if km <= radius_km:
            found.append(Nearby(pk, department_id, parent_id, km))
    return sorted(found, key=lambda n: n.km)


def _in_box(centre: Commune, radius_km: float, prefix: str = "") -> Q:
    south, north, west, east = bounding_box(centre.latitude, centre.longitude, radius_km)
    return Q(**{f"{prefix}latitude__range": (south, north), f"{prefix}longitude__range": (west, east)})


def _nearest(pairs: Iterable[tuple[int, float]]) -> dict[int, float]:
    """{key: smallest distance} of (key, km) pairs."""
    best: dict[int, float] = {}
    for key, km in pairs:
        if key not in best or km < best[key]:
            best[key] = km
    return best


def collective_distances(collectives, centre: Commune, radius_km: float) -> dict[int, float]:
    """{collective id: km} for the collectives of ``collectives`` (a queryset) that cover a commune
    within the radius, its parent city or its department (see the module's rule)."""
    nearby = communes_near(centre, radius_km)
    parents = [(n.parent_id, n.km) for n in nearby if n.parent_id]
    by_commune = _nearest([(n.pk, n.km) for n in nearby] + parents)
    by_department = _nearest((n.department_id, n.km) for n in nearby)
    chosen = collectives.values("pk")
    communes = Collective.communes.through.objects.filter(
        # The box again, not the ids of its communes: 200 km around Paris holds thousands of them.
        _in_box(centre, radius_km, "commune__") | Q(commune__in=[pk for pk, _km in parents]),
        collective__in=chosen,
    ).values_list("collective_id", "commune_id")
    departments = Collective.departments.through.objects.filter(
        collective__in=chosen, department__in=list(by_department)
    ).values_list("collective_id", "department_id")
    return _nearest(
        [(c, by_commune[place]) for c, place in communes if place in by_commune]
        + [(c, by_department[place]) for c, place in departments]
    )
