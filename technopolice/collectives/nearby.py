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

from django.db import connection

from technopolice.lib.idlists import integer_list
from technopolice.registry.models import Commune

from .models import Collective

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)
KM_PER_DEGREE_OF_LATITUDE = math.pi * EARTH_RADIUS_KM / 180


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
    """The communes whose centre lies within ``radius_km`` of ``centre``'s, nearest first.

    Written for 200 km around Paris, ten thousand communes: the box's rows are read without the
    ORM (which took as long again as the statement) and tested on the haversine's ``a`` term,
    with the centre's own sine and cosine computed once; only the communes kept get a distance.
    """
    lat0, lon0 = math.radians(centre.latitude), math.radians(centre.longitude)
    cos0 = math.cos(lat0)
    limit = math.sin(radius_km / (2 * EARTH_RADIUS_KM)) ** 2  # a <= limit: within the radius
    found = []
    for pk, department_id, parent_id, lat, lon in _in_box(centre, radius_km):
        phi = math.radians(lat)
        a = (
            math.sin((phi - lat0) / 2) ** 2
            + cos0 * math.cos(phi) * math.sin(math.radians(lon) / 2 - lon0 / 2) ** 2
        )
        if a <= limit:
            found.append(Nearby(pk, department_id, parent_id, 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))))
    return sorted(found, key=lambda n: n.km)


def _in_box(centre: Commune, radius_km: float) -> list[tuple]:
    """(id, department, parent, latitude, longitude) of the communes in the radius's bounding box."""
    meta, quote = Commune._meta, connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("id", "department", "parent", "latitude", "longitude")
    )
    latitude, longitude = quote(meta.get_field("latitude").column), quote(meta.get_field("longitude").column)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)}"  # noqa: S608 (names from the model, values as parameters)
        f" WHERE {latitude} BETWEEN %s AND %s AND {longitude} BETWEEN %s AND %s"
    )
    south, north, west, east = bounding_box(centre.latitude, centre.longitude, radius_km)
    with connection.cursor() as cursor:
        cursor.execute(sql, [south, north, west, east])
        return cursor.fetchall()


def _nearest(pairs: Iterable[tuple[int, float]]) -> dict[int, float]:
    """{key: smallest distance} of (key, km) pairs."""
    best: dict[int, float] = {}
    for key, km in pairs:
        if key not in best or km < best[key]:
            best[key] = km
    return best


def collective_distances(centre: Commune, radius_km: float) -> dict[int, float]:
    """{collective id: km} for the collectives that cover a commune within the radius, its parent
    city or its department (see the module's rule), listed or not: the caller filters them."""
    nearby = communes_near(centre, radius_km)
    parents = [(n.parent_id, n.km) for n in nearby if n.parent_id]
    by_commune = _nearest([(n.pk, n.km) for n in nearby] + parents)
    by_department = _nearest((n.department_id, n.km) for n in nearby)
    return _nearest(
        [(c, by_commune[place]) for c, place in _links("communes", by_commune)]
        + [(c, by_department[place]) for c, place in _links("departments", by_department)]
    )


def _links(relation: str, places: Iterable[int]) -> list[tuple[int, int]]:
    """(collective id, place id) of the ``relation`` rows naming one of ``places``.

    Read from the places' side, by the index on the place column: asked with the listed
    collectives as a subquery, SQLite went through every collective's places instead (15 ms for
    5,000 collectives). The ids are written in as integers (lib.idlists): 200 km around Paris
    hold thousands of communes, past what a statement may take as parameters.
    """
    places = list(places)
    if not places:
        return []
    field = Collective._meta.get_field(relation)
    quote = connection.ops.quote_name
    collective, place = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
    table = quote(field.remote_field.through._meta.db_table)
    sql = f"SELECT {collective}, {place} FROM {table} WHERE {place} IN {integer_list(places)}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()
