"""The collectives' layer of the map: one point per listed collective and place it covers.

A commune's point is its gazetteer centre; a department's is the mean of its communes' centres
(arrondissements left out, so Paris does not weigh twenty-one times), averaged by the database.
The layer is small (a point per place named, not per commune of a department), so it is sent
whole and the map draws it without asking again as it moves.
"""

from django.db.models import Avg
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from technopolice.registry.listing import url_maker
from technopolice.registry.models import Commune
from technopolice.registry.models.places import CommuneKind

from ..models import Collective, CollectiveStatus


def _commune_points():
    """(collective id, commune name, lat, lon) of each listed collective's communes."""
    return (
        Collective.communes.through.objects.filter(
            collective__status=CollectiveStatus.LISTED, commune__latitude__isnull=False
        )
        .order_by("collective_id", "commune__name")
        .values_list("collective_id", "commune__name", "commune__latitude", "commune__longitude")
    )


def _department_points():
    """(collective id, department name, lat, lon) of each listed collective's departments."""
    links = list(
        Collective.departments.through.objects.filter(collective__status=CollectiveStatus.LISTED)
        .order_by("collective_id", "department__code")
        .values_list("collective_id", "department_id", "department__name")
    )
    centres = {
        row["department"]: (row["lat"], row["lon"])
        for row in Commune.objects.filter(
            department__in={department for _c, department, _n in links},
            kind=CommuneKind.COMMUNE,
            latitude__isnull=False,
        )
        .values("department")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        .order_by()
    }
    return [(c, name, *centres[d]) for c, d, name in links if d in centres]


@require_safe
def collectives_geojson(request):
    collectives = {
        pk: (name, slug, dormant)
        for pk, name, slug, dormant in Collective.objects.listed().values_list(
            "pk", "name", "slug", "is_dormant"
        )
    }
    url = url_maker("collectives:detail")
    features = []
    for collective_id, place, lat, lon in [*_commune_points(), *_department_points()]:
        if collective_id not in collectives:  # listed or unlisted between the two reads
            continue
        name, slug, dormant = collectives[collective_id]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {"name": name, "url": url(slug), "dormant": dormant, "place": place},
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "count": len(features), "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
