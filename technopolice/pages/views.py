"""The home page: what the platform is, what it documents lately, and where to start."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from technopolice.registry.facets import counts, with_objects
from technopolice.registry.listing import attach_links
from technopolice.registry.models import Event, Region, Technology
from technopolice.registry.views.browse import listed_dossiers

LATEST = 6


def _by_count(by_object: dict) -> list:
    return sorted(by_object.items(), key=lambda item: (-item[1], str(item[0].name)))


@require_safe
def home(request):
    found = counts()
    context = {
        "latest": attach_links(listed_dossiers().order_by("-created_at", "-pk")[:LATEST]),
        "dossier_count": sum(found["status"].values()),
        "technologies": _by_count(with_objects(Technology, found["technology"])),
        "regions": _by_count(with_objects(Region, found["region"])),
        "outcomes": Event.objects.outcomes().select_related("dossier").order_by("-date", "-pk")[:3],
    }
    return render(request, "pages/home.html", context)
