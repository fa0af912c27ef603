"""Technologies and organisations: what is deployed, and who sells, buys, lobbies or owns."""

from django import forms
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from technopolice.lib.opendata import Column
from technopolice.lib.text import words

from ..filters import FilterForm, covers
from ..models import Organisation, OrganisationKind, OrganisationLink, Technology
from ..sections import filled, section
from .common import GRAPH_ATTRIBUTION, REGISTRY_ATTRIBUTION, check_form, page_table, serve_list

TECHNOLOGY_COLUMNS = [
    Column("slug", lambda t: t.slug),
    Column("name_fr", lambda t: t.name_fr),
    Column("name_en", lambda t: t.name_en),
    Column("summary_fr", lambda t: t.summary_fr),
    Column("summary_en", lambda t: t.summary_en),
    Column("dossiers", lambda t: t.dossier_count),
    Column("url", lambda t: t.get_absolute_url()),
]


@require_safe
def technology_list(request, fmt=None):
    def build(request):
        technologies = Technology.objects.annotate(dossier_count=Count("dossiers")).order_by(
            "position", "slug"
        )
        table, page = page_table(
            request, "technologies", TECHNOLOGY_COLUMNS, technologies, [REGISTRY_ATTRIBUTION]
        )
        return table, {"page": page}

    return serve_list(request, fmt, build, "registry/technology_list.html")


@require_safe
def technology_detail(request, slug):
    technology = get_object_or_404(Technology, slug=slug)
    vendors = Organisation.objects.filter(
        Q(technologies=technology) | Q(supplied_dossiers__technologies=technology)
    ).distinct()
    (own,) = filled(
        section(
            _("Its dossiers"), covers("technologies", technology=technology), {"technology": technology.slug}
        )
    )
    context = {"technology": technology, "own": own, "vendors": vendors.order_by("name")}
    return render(request, "registry/technology.html", context)


class OrganisationFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all"))] + OrganisationKind.choices,
        error_messages={"invalid_choice": _("Unknown kind of organisation: “%(value)s”.")},
    )


ORGANISATION_COLUMNS = [
    Column("slug", lambda o: o.slug),
    Column("name", lambda o: o.name),
    Column("kind", lambda o: o.kind),
    Column("commune_insee", lambda o: o.commune.insee if o.commune else None),
    Column("website", lambda o: o.website),
    Column("dataset", lambda o: o.dataset),
    Column("disputed", lambda o: o.disputed),
    Column("last_checked", lambda o: o.last_checked),
    Column("url", lambda o: o.get_absolute_url()),
]


def search_organisations(data: dict):
    organisations = Organisation.objects.select_related("commune")
    for word in words(data.get("q") or ""):
        # search_text is folded by the importer; the name catches records entered without it.
        organisations = organisations.filter(Q(search_text__contains=word) | Q(name__icontains=word))
    if data.get("kind"):
        organisations = organisations.filter(kind=data["kind"])
    return organisations.order_by("name", "pk")


@require_safe
def organisation_list(request, fmt=None):
    def build(request):
        form = OrganisationFilterForm(request.GET)
        organisations = search_organisations(check_form(form))
        attribution = [REGISTRY_ATTRIBUTION]
        if organisations.exclude(dataset="").exists():
            attribution.append(GRAPH_ATTRIBUTION)
        table, page = page_table(request, "organisations", ORGANISATION_COLUMNS, organisations, attribution)
        return table, {"form": form, "page": page}

    return serve_list(request, fmt, build, "registry/organisation_list.html")


@require_safe
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("commune", "vouched_by").prefetch_related("technologies"),
        slug=slug,
    )
    links = OrganisationLink.objects.select_related("subject", "object")
    links_out = list(links.filter(subject=organisation))
    links_in = list(links.filter(object=organisation).order_by("relation", "subject__name"))
    operated, supplied = filled(
        section(_("Dossiers it operates"), Q(operator=organisation), {"operator": organisation.slug}),
        section(
            _("Dossiers it supplies"),
            covers("vendors", organisation=organisation),
            {"vendor": organisation.slug},
        ),
    )
    context = {
        "organisation": organisation,
        "links_out": links_out,
        "links_in": links_in,
        "from_graph": any(link.dataset for link in links_out + links_in) or bool(organisation.dataset),
        "graph_attribution": GRAPH_ATTRIBUTION,
        "operated": operated,
        "supplied": supplied,
    }
    return render(request, "registry/organisation.html", context)
