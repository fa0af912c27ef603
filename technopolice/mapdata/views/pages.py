"""The map page and the ranking of communes by camera density."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from technopolice.lib import opendata

from .. import tiles
from ..forms import CameraFilterForm, RankingFilterForm
from ..models import CameraDataset
from ..ranking import ranking_table


@require_GET
def map_page(request):
    """The full-page map. Its filters are plain GET fields: the URL is the view, shareable."""
    form = CameraFilterForm(request.GET).with_choices()
    form.is_valid()  # bad values are shown as errors; the script still draws the whole map
    context = {
        "form": form,
        "has_tiles": tiles.configured(),
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "datasets": CameraDataset.objects.all(),
        "query": request.GET.urlencode(),
        "labels": _labels(),
    }
    return render(request, "mapdata/map.html", context)


def _labels() -> dict:
    """The words the map's script shows, translated here so the script holds no text."""
    sources = "; ".join(
        f"{d.attribution or d.name} ({d.licence})" if d.licence else str(d.attribution or d.name)
        for d in CameraDataset.objects.all()
    )
    return {
        "attribution": sources,
        "error": _("The cameras of this area could not be loaded."),
        "cameras": _("%(count)s cameras: click to zoom in"),
        "type": _("Type"),
        "zone": _("Zone"),
        "operator": _("Operator"),
        "direction": _("Direction"),
        "mount": _("Mount"),
        "commune": _("Commune"),
        "source": _("Source"),
        "unknown": _("unknown"),
        "osm": _("See it on OpenStreetMap"),
    }


RANKING_PAGE_SIZE = 50


@require_GET
def ranking(request, fmt: str = ""):
    """Communes by cameras per 1,000 inhabitants; ``.json`` and ``.csv`` twins take the same filters."""
    form = RankingFilterForm(request.GET)
    try:
        if not form.is_valid():
            raise opendata.BadRequest(form.first_error())
        table, page = ranking_table(request, form.cleaned_data, RANKING_PAGE_SIZE)
    except opendata.BadRequest as error:
        if fmt:
            return opendata.respond_error(error)
        return render(
            request, "mapdata/ranking.html", {"form": form, "error": error.message}, status=error.status
        )
    if fmt:
        return opendata.respond(table, fmt)
    return render(request, "mapdata/ranking.html", {"form": form, "table": table, "page": page})
