"""Filters of the dossier list: read from the query string, validated, applied, counted.

Every filter is a GET parameter, so any filtered view is a URL one can share. Values name
records by their public keys (slugs, years), never by database ids.

How places match (the rule the list, the facets and the place pages share):
- a commune matches the dossiers that cover it, or one of its municipal arrondissements;
- a department matches those that cover it, or a commune in it;
- a region matches those that cover it, a department in it or a commune in it;
- national dossiers (TAJ, TES...) cover every place, but listing them under every town
  would drown local deployments: they show under a place only with ``national=1``.

Filters use ``pk IN (subquery)`` rather than joins, so a dossier never appears twice and
the list needs no DISTINCT.

The text search ``q`` keeps the dossiers whose folded text (``Dossier.search_text``) holds
every word of the query, folded the same way (lib.text): accents, case and punctuation do
not count, and a word is found inside a longer one ("etienne" finds "saint etienne"). The
database tests each dossier's text; the search app's full-text indexes match whole words
only, so they cannot answer this rule.
"""

import datetime as dt

from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from technopolice.lib.text import words
from technopolice.lib.widgets import LeanSelect

from .models import Commune, Department, Dossier, DossierStatus, Organisation, Region, Technology
from .reference import ReferenceChoiceField

SORTS = {
    "date": [F("start_date").desc(nulls_last=True), "-updated_at", "pk"],
    "-date": [F("start_date").asc(nulls_last=True), "updated_at", "pk"],
    "name": ["title", "pk"],
    "place": [F("place_name").asc(nulls_last=True), "title", "pk"],
}
SORT_CHOICES = [
    ("date", _("newest first")),
    ("-date", _("oldest first")),
    ("name", _("name")),
    ("place", _("place")),
]
PLACE_FILTERS = ("commune", "department", "region")


def slug_choice(queryset, label, unknown) -> forms.ModelChoiceField:
    """A record named by its slug, chosen by following a link (communes, organisations)."""
    return forms.ModelChoiceField(
        queryset=queryset,
        to_field_name="slug",
        required=False,
        label=label,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": unknown},
    )


def reference_choice(model, label, unknown) -> forms.ModelChoiceField:
    """One of a short reference list (see registry.reference), chosen in a <select>."""
    return ReferenceChoiceField(
        model,
        required=False,
        label=label,
        empty_label=_("all"),
        widget=LeanSelect,
        error_messages={"invalid_choice": unknown},
    )


class FilterForm(forms.Form):
    """A list's query string: its errors read as one message for the page and the JSON error."""

    def __init__(self, *args, **kwargs):
        # Labels sit above their fields: no colon (French would add " :").
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def error_message(self) -> str:
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class DossierFilterForm(FilterForm):
    """The dossier list's query string. Communes, vendors and operators are chosen by links."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    technology = reference_choice(Technology, _("Technology"), _("Unknown technology: “%(value)s”."))
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all"))] + DossierStatus.choices,
        widget=LeanSelect,
        error_messages={"invalid_choice": _("Unknown status: “%(value)s”.")},
    )
    region = reference_choice(Region, _("Region"), _("Unknown region: “%(value)s”."))
    department = reference_choice(Department, _("Department"), _("Unknown department: “%(value)s”."))
    commune = slug_choice(Commune.objects.all(), _("Commune"), _("Unknown commune: “%(value)s”."))
    vendor = slug_choice(Organisation.objects.all(), _("Vendor"), _("Unknown organisation: “%(value)s”."))
    operator = slug_choice(Organisation.objects.all(), _("Operator"), _("Unknown organisation: “%(value)s”."))
    year = forms.IntegerField(
        label=_("Active in year"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={"invalid": _("The year must be a number, like 2021.")},
    )
    national = forms.BooleanField(label=_("Include national dossiers"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=SORT_CHOICES,
        widget=LeanSelect,
        error_messages={"invalid_choice": _("Unknown sort order: “%(value)s”.")},
    )


def covers(field: str, **lookup) -> Q:
    """The dossiers with a row of their ``field`` relation matching ``lookup``."""
    return covers_any((field, lookup))


def covers_any(*paths: tuple[str, dict]) -> Q:
    """The dossiers reached by any of the (relation, lookup) paths, as one ``pk IN (subquery)``.

    Uncorrelated, so both databases run the subquery once (a correlated EXISTS ran once per
    dossier). Several paths are one UNION ALL inside a single IN: an OR of several INs made
    both databases read every dossier to test each one.
    """
    first, *others = [
        Dossier.link_table(field).objects.filter(**lookup).values("dossier") for field, lookup in paths
    ]
    return Q(pk__in=first.union(*others, all=True) if others else first)


def in_commune(commune: Commune) -> Q:
    return covers_any(("communes", {"commune": commune}), ("communes", {"commune__parent": commune}))


def in_department(department: Department) -> Q:
    return covers_any(
        ("departments", {"department": department}), ("communes", {"commune__department": department})
    )


def in_region(region: Region) -> Q:
    return covers_any(
        ("regions", {"region": region}),
        ("departments", {"department__region": region}),
        ("communes", {"commune__department__region": region}),
    )


PLACE_MATCHERS = {"commune": in_commune, "department": in_department, "region": in_region}


def active_in(year: int) -> Q:
    """Started on or before that year and not ended before it. No start date: unknown, left out."""
    return Q(start_date__lte=dt.date(year, 12, 31)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=dt.date(year, 1, 1))
    )


def matching_text(query: str) -> Q:
    """Every folded word of ``query`` is part of the folded text (see the module's docstring).

    Both sides are folded to lower-case a-z, 0-9 and spaces, so a plain LIKE is the rule on
    both databases: no case to ignore, no wildcard to escape (INSTR and STRPOS were no faster).
    """
    condition = Q()
    for word in words(query):
        condition &= Q(search_text__contains=word)
    return condition


def _place_condition(data: dict) -> Q | None:
    conditions = [PLACE_MATCHERS[name](data[name]) for name in PLACE_FILTERS if data.get(name)]
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined &= condition
    return combined | Q(is_national=True) if data.get("national") else combined


def filter_dossiers(queryset: QuerySet, data: dict) -> QuerySet:
    """Apply the cleaned filters of a DossierFilterForm."""
    place = _place_condition(data)
    if place is not None:
        queryset = queryset.filter(place)
    if data.get("technology"):
        queryset = queryset.filter(covers("technologies", technology=data["technology"]))
    if data.get("vendor"):
        queryset = queryset.filter(covers("vendors", organisation=data["vendor"]))
    if data.get("operator"):
        queryset = queryset.filter(operator=data["operator"])
    if data.get("status"):
        queryset = queryset.filter(status=data["status"])
    if data.get("year"):
        queryset = queryset.filter(active_in(data["year"]))
    if data.get("q"):
        queryset = queryset.filter(matching_text(data["q"]))
    return queryset


def _first_name(field: str, model_field: str) -> Subquery:
    rows = Dossier.link_table(field).objects.filter(dossier=OuterRef("pk")).order_by(f"{model_field}__name")
    return Subquery(rows.values(f"{model_field}__name")[:1])


def sort_dossiers(queryset: QuerySet, sort: str) -> QuerySet:
    """Order by date (default), name or place (the first commune, else department, else region)."""
    if sort == "place":
        queryset = queryset.annotate(
            place_name=Coalesce(
                _first_name("communes", "commune"),
                _first_name("departments", "department"),
                _first_name("regions", "region"),
            )
        )
    return queryset.order_by(*SORTS.get(sort or "date", SORTS["date"]))


def query_url(request: HttpRequest, path: str | None = None, **changes) -> str:
    """The current URL with some parameters set (or removed, when None), back on page 1."""
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = value
    encoded = query.urlencode()
    return f"{path or request.path}?{encoded}" if encoded else (path or request.path)


def active_filters(request: HttpRequest, form: DossierFilterForm) -> list[tuple[str, str, str]]:
    """(label, value, URL without it) for each filter in use: the chips above the results."""
    chips = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value in (None, "", False):
            continue
        shown = dict(DossierStatus.choices).get(value, value) if name == "status" else value
        chips.append(
            (str(field.label), str(shown) if value is not True else "✓", query_url(request, **{name: None}))
        )
    return chips
