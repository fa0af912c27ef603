"""The home page: what the platform is, what it documents lately, and where to start."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from technopolice.registry.filters import region_counts, technology_counts
from technopolice.registry.models import Dossier, Event
from technopolice.registry.views.browse import listed_dossiers

LATEST = 6


def _by_count(counts: dict) -> list:
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0].name)))


@require_safe
def home(request):
    dossiers = Dossier.objects.all()
    context = {
        "latest": listed_dossiers().order_by("-created_at", "-pk")[:LATEST],
        "dossier_count": dossiers.count(),
        "technologies": _by_count(technology_counts(dossiers)),
        "regions": _by_count(region_counts(dossiers)),
        "outcomes": Event.objects.outcomes().select_related("dossier").order_by("-date", "-pk")[:3],
    }
    return render(request, "pages/home.html", context)
