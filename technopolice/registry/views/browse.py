"""The dossier list (with its twins) and the dossier page: what a visitor reads first."""

from functools import partial

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from technopolice.lib.opendata import Column
from technopolice.lib.pagination import paginator_for

from .. import filters
from ..facets import facets
from ..listing import attach_links
from ..models import Dossier
from .common import REGISTRY_ATTRIBUTION, check_form, page_table, serve_list


def _names(relation: str):
    return lambda dossier: [link.name for link in getattr(dossier.links, relation)]


def _keys(relation: str):
    return lambda dossier: [link.key for link in getattr(dossier.links, relation)]


DOSSIER_COLUMNS = [
    Column("slug", lambda d: d.slug),
    Column("title", lambda d: d.title),
    Column("url", lambda d: d.get_absolute_url()),
    Column("status", lambda d: d.status),
    Column("communes", _names("communes")),
    Column("commune_insee", _keys("communes")),
    Column("departments", _keys("departments")),
    Column("regions", _keys("regions")),
    Column("national", lambda d: d.is_national),
    Column("technologies", _keys("technologies")),
    Column("operator", lambda d: d.operator.name if d.operator else None),
    Column("vendors", _names("vendors")),
    Column("start_date", lambda d: d.start_date),
    Column("end_date", lambda d: d.end_date),
    Column("budget_eur", lambda d: d.budget_eur),
    Column("funding", lambda d: d.funding),
    Column("camera_count", lambda d: d.camera_count),
    Column("last_checked", lambda d: d.last_checked),
    Column("disputed", lambda d: d.disputed),
    Column("example", lambda d: d.is_example),
]


# A list shows none of these long texts; leaving them out keeps the rows (and the sort) narrow.
LONG_FIELDS = ("description", "search_text", "legal_basis", "dispute_reason")


def listed_dossiers():
    """Dossiers as lists show them; pass what is shown to ``attach_links`` for their relations."""
    operator_texts = [f"operator__{name}" for name in ("description", "search_text", "dispute_reason")]
    return Dossier.objects.select_related("operator").defer(*LONG_FIELDS, *operator_texts)


def _build_list(request):
    form = filters.DossierFilterForm(request.GET)
    data = check_form(form)
    ordered = filters.sort_dossiers(filters.filter_dossiers(listed_dossiers(), data), data.get("sort"))
    table, page = page_table(
        request,
        "dossiers",
        DOSSIER_COLUMNS,
        ordered,
        [REGISTRY_ATTRIBUTION],
        prepare=attach_links,
        paginator=partial(paginator_for, rows=listed_dossiers()),
    )
    return table, {
        "form": form,
        "page": page,
        "chips": filters.active_filters(request, form),
    }


def _matching_ids(paginator) -> list[int] | None:
    """The ids of every dossier the list shows, read once by the paginator; None when unfiltered."""
    return getattr(paginator, "ordered_ids", None)


@require_safe
def dossier_list(request, fmt=None):
    """All dossiers, filtered by the query string; ``fmt`` serves the .json/.csv twin."""

    def build(request):
        table, context = _build_list(request)
        if not fmt:
            context["facets"] = facets(request, _matching_ids(context["page"].paginator))
        return table, context

    return serve_list(request, fmt, build, "registry/dossier_list.html")


@require_safe
def dossier_detail(request, slug):
    dossier = get_object_or_404(
        Dossier.objects.select_related("operator", "vouched_by").prefetch_related("sources", "events"),
        slug=slug,
    )
    attach_links([dossier])
    context = {"dossier": dossier, "ageing_days": settings.REGISTRY_AGEING_DAYS}
    return render(request, "registry/dossier_detail.html", context)
