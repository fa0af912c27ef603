"""What lies in a collective's area: its dossiers, its cameras, where to centre a map on it.

The area is the communes and departments a collective names. A commune counts its municipal
arrondissements (Paris names the cities, imports attach cameras to the arrondissements), and a
department counts every commune in it: the rule the registry's place filters follow.
"""

from dataclasses import dataclass

from django.db.models import Avg, Q
from django.urls import reverse
from django.utils.http import urlencode

from technopolice.mapdata.models import Camera
from technopolice.registry.filters import covers_any
from technopolice.registry.models import Commune

from .models import Collective

# Map zooms that frame a town and a department on a laptop's screen.
COMMUNE_ZOOM, DEPARTMENT_ZOOM = 12, 9


@dataclass(frozen=True)
class Area:
    communes: list
    departments: list

    @property
    def is_empty(self) -> bool:
        return not (self.communes or self.departments)

    def dossier_condition(self) -> Q:
        """The registry's dossiers of a non-empty area, as one ``pk IN (UNION ALL)`` (registry.filters).

        Only the paths with places: an empty IN would make the sections' statement invalid."""
        paths = []
        if self.communes:
            paths += [
                ("communes", {"commune__in": self.communes}),
                ("communes", {"commune__parent__in": self.communes}),
            ]
        if self.departments:
            paths += [
                ("departments", {"department__in": self.departments}),
                ("communes", {"commune__department__in": self.departments}),
            ]
        return covers_any(*paths)

    def dossier_list_filters(self) -> dict | None:
        """The dossier list's filters showing the same dossiers, if one filter can say it."""
        if len(self.communes) == 1 and not self.departments:
            return {"commune": self.communes[0].slug}
        if len(self.departments) == 1 and not self.communes:
            return {"department": self.departments[0].slug}
        return None

    def communes_in_area(self) -> Q:
        return (
            Q(pk__in=[c.pk for c in self.communes])
            | Q(parent__in=[c.pk for c in self.communes])
            | Q(department__in=[d.pk for d in self.departments])
        )

    def camera_count(self) -> int:
        places = Commune.objects.filter(self.communes_in_area()).values("pk")
        return Camera.objects.visible().filter(commune__in=places).count()

    def map_url(self) -> str | None:
        """The camera map centred on the area: its commune, or the centre of its communes' centres."""
        if len(self.communes) == 1 and self.communes[0].latitude is not None:
            commune = self.communes[0]
            return _map_url(commune.latitude, commune.longitude, COMMUNE_ZOOM)
        centre = Commune.objects.filter(self.communes_in_area(), latitude__isnull=False).aggregate(
            lat=Avg("latitude"), lon=Avg("longitude")
        )
        if centre["lat"] is None:
            return None
        return _map_url(centre["lat"], centre["lon"], DEPARTMENT_ZOOM)


def _map_url(lat: float, lon: float, zoom: int) -> str:
    return reverse("mapdata:map") + "?" + urlencode({"lat": f"{lat:.5f}", "lon": f"{lon:.5f}", "z": zoom})


def area_of(collective: Collective) -> Area:
    communes = list(collective.communes.select_related("department").order_by("name"))
    departments = list(collective.departments.order_by("code"))
    return Area(communes, departments)
