"""Which commune a camera belongs to.

The rule, in order:

1. **Contours.** Where commune contours have been imported (``import_boundaries``), a
   camera belongs to the commune whose contour contains it. When contours nest (a
   municipal arrondissement inside its city) the smallest one wins.
2. **Centres, within the commune's own radius.** Otherwise, among the communes whose
   disc contains the camera (a disc around the commune's centre with the commune's
   area, ``Commune.radius_km``), the one with the nearest centre. Communes that have
   a contour are not candidates here (a point outside their contour is outside them),
   nor are Paris, Lyon and Marseille, whose territory is their arrondissements': a point
   that no disc claims but that lies within such a city's own disc goes to the
   arrondissement with the nearest centre (arrondissement discs leave gaps between them).
3. **None.** Otherwise the camera is attached to no commune: it is still imported and
   shown on the map, but counted in no commune. A camera in Monaco is thus not counted
   in Beausoleil, whose centre is the nearest but whose small disc does not reach it.

Many points are located at once: centres are bucketed in a grid of 0.05° cells (each
commune in every cell its disc touches), contours go in an R-tree (shapely's STRtree),
and only the contours whose bounding box meets the points' are loaded.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

import shapely
from django.db.models import Q

from technopolice.registry.models import Commune

from ..models import Boundary, Camera

KM_PER_DEGREE = 111.195
KM_PER_DEGREE_SQUARED = KM_PER_DEGREE**2
# Degrees: about 5 km, so a typical commune's disc touches 1 to 4 cells and a cell
# holds a handful of candidates even around Paris.
CELL = 0.05
REACH = 1.0  # degrees of latitude beyond which no commune's disc reaches (twice that in longitude)

Point = tuple[float, float]  # (latitude, longitude)


class CommuneLocator:
    """Locates many points in one go; build one per import, not per camera."""

    def __init__(self, points: Sequence[Point] = ()):
        bbox = _bbox(points)
        self.contours, self.contour_communes = _load_contours(bbox)
        self.tree = shapely.STRtree(self.contours) if self.contours else None
        self.grid = _centre_grid(bbox)
        self.cities = _cities()

    def locate_many(self, points: Sequence[Point]) -> list[int | None]:
        """The commune id for each point, or None (see the module's rule)."""
        found = self._by_contour(points)
        return [
            found.get(i) or self._by_centre(*point) or self._by_city(*point) for i, point in enumerate(points)
        ]

    def _by_contour(self, points: Sequence[Point]) -> dict[int, int]:
        if self.tree is None or not points:
            return {}
        geometries = shapely.points([(lon, lat) for lat, lon in points])
        point_index, contour_index = self.tree.query(geometries, predicate="intersects")
        best: dict[int, int] = {}
        for p, c in zip(point_index.tolist(), contour_index.tolist(), strict=True):
            if p not in best or self.contours[c].area < self.contours[best[p]].area:
                best[p] = c
        return {p: self.contour_communes[c] for p, c in best.items()}

    def _by_centre(self, latitude: float, longitude: float) -> int | None:
        # Squared distances in km², with the point's own cosine: this runs once per camera.
        best, best_distance = None, math.inf
        x_scale = math.cos(math.radians(latitude))
        for commune_id, c_lat, c_lon, radius_squared in self.grid.get(_cell(latitude, longitude), ()):
            distance = _squared_km(latitude, longitude, c_lat, c_lon, x_scale)
            if distance <= radius_squared and distance < best_distance:
                best, best_distance = commune_id, distance
        return best

    def _by_city(self, latitude: float, longitude: float) -> int | None:
        x_scale = math.cos(math.radians(latitude))
        for c_lat, c_lon, radius_squared, arrondissements in self.cities:
            if _squared_km(latitude, longitude, c_lat, c_lon, x_scale) <= radius_squared:
                nearest = min(
                    arrondissements, key=lambda a: _squared_km(latitude, longitude, a[1], a[2], x_scale)
                )
                return nearest[0]
        return None


def commune_for(latitude: float, longitude: float) -> Commune | None:
    """The commune of one point (a contributed camera): the same rule as the imports."""
    commune_id = CommuneLocator([(latitude, longitude)]).locate_many([(latitude, longitude)])[0]
    return Commune.objects.filter(pk=commune_id).first() if commune_id else None


def _bbox(points: Iterable[Point]) -> tuple[float, float, float, float] | None:
    points = list(points)
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def _load_contours(bbox) -> tuple[list, list[int]]:
    """The contours whose bounding box meets the points' (all of them when no points are given)."""
    boundaries = Boundary.objects.all()
    if bbox is not None:
        west, south, east, north = bbox
        boundaries = boundaries.filter(
            max_longitude__gte=west, min_longitude__lte=east, max_latitude__gte=south, min_latitude__lte=north
        )
    rows = list(boundaries.values_list("commune_id", "geometry"))
    return [shapely.geometry.shape(geometry) for _, geometry in rows], [commune_id for commune_id, _ in rows]


def _centre_grid(bbox=None) -> dict[tuple[int, int], list]:
    """Communes with a centre and an area, indexed by every grid cell their disc touches.

    With the points' bounding box, only communes whose centre is near enough to reach it
    are loaded (the largest commune, Maripasoula, has a radius of 76 km, under 1°).
    """
    communes = Commune.objects.filter(
        latitude__isnull=False, longitude__isnull=False, area_km2__gt=0
    ).exclude(Q(boundary__isnull=False) | Q(arrondissements__isnull=False))
    if bbox is not None:
        west, south, east, north = bbox
        communes = communes.filter(
            latitude__range=(south - REACH, north + REACH),
            longitude__range=(west - 2 * REACH, east + 2 * REACH),
        )
    grid: dict[tuple[int, int], list] = defaultdict(list)
    for commune_id, lat, lon, area in communes.values_list(
        "id", "latitude", "longitude", "area_km2"
    ).distinct():
        radius = math.sqrt(area / math.pi)  # Commune.radius_km, without building 35,000 models
        entry = (commune_id, lat, lon, radius * radius)
        for cell in _cells_of_disc(lat, lon, radius):
            grid[cell].append(entry)
    return grid


def _cities() -> list[tuple[float, float, float, list]]:
    """Paris, Lyon and Marseille: (lat, lon, squared radius, [(id, lat, lon) of arrondissements])."""
    located = Q(latitude__isnull=False, longitude__isnull=False, boundary__isnull=True)
    cities = defaultdict(list)
    for row in Commune.objects.filter(located, parent__isnull=False).values_list(
        "parent", "id", "latitude", "longitude"
    ):
        cities[row[0]].append(row[1:])
    parents = Commune.objects.filter(located, pk__in=cities, area_km2__gt=0)
    return [
        (lat, lon, area / math.pi, cities[pk])
        for pk, lat, lon, area in parents.values_list("id", "latitude", "longitude", "area_km2")
    ]


def _squared_km(lat: float, lon: float, c_lat: float, c_lon: float, x_scale: float) -> float:
    """Equirectangular squared distance, ``x_scale`` the cosine of the point's latitude:
    exact enough within a commune's radius, and cheap enough to run for every candidate."""
    dx, dy = (c_lon - lon) * x_scale, c_lat - lat
    return (dx * dx + dy * dy) * KM_PER_DEGREE_SQUARED


def _cells_of_disc(lat: float, lon: float, radius_km: float):
    d_lat = radius_km / KM_PER_DEGREE
    d_lon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    south, west = _cell(lat - d_lat, lon - d_lon)
    north, east = _cell(lat + d_lat, lon + d_lon)
    return ((i, j) for i in range(south, north + 1) for j in range(west, east + 1))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / CELL), math.floor(lon / CELL)


def reattach_cameras(batch: int = 20000) -> int:
    """Apply the rule again to every camera (after contours changed); returns how many moved."""
    locator, moved, last_id = CommuneLocator(), 0, 0
    rows = Camera.objects.values_list("id", "latitude", "longitude", "commune_id").order_by("id")
    while chunk := list(rows.filter(id__gt=last_id)[:batch]):  # keyset pages: no OFFSET scans
        found = locator.locate_many([(lat, lon) for _, lat, lon, _ in chunk])
        changes = [
            Camera(id=row[0], commune_id=c) for row, c in zip(chunk, found, strict=True) if row[3] != c
        ]
        Camera.objects.bulk_update(changes, ["commune"], batch_size=2000)
        moved += len(changes)
        last_id = chunk[-1][0]
    return moved
