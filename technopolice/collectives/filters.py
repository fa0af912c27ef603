"""Filters of the directory of collectives: read from the query string, validated, applied.

Every filter is a GET parameter, so a search ("collectives near Nice, within 30 km") is a URL one
can share, and the directory's ``.json`` and ``.csv`` twins take the same ones.

- ``q``: every folded word (lib.text) is part of the collective's folded name, so accents and
  case do not count ("metropole" finds "Métropole").
- ``department``: collectives covering the department or a commune in it.
- ``activity``: active or dormant collectives.
- ``near`` and ``radius``: collectives covering a place within the radius of a commune's centre
  (collectives.nearby), nearest first. The commune is typed as elsewhere on the site (a name,
  "Saint-Denis (93)" or an INSEE code: registry.forms.find_commune).
"""

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from technopolice.lib.text import words
from technopolice.lib.widgets import LeanSelect
from technopolice.registry.filters import FilterForm, reference_choice
from technopolice.registry.forms import find_commune
from technopolice.registry.models import Department

from .nearby import collective_distances

DEFAULT_RADIUS_KM = 20
MAX_RADIUS_KM = 200

ACTIVITY_CHOICES = [("", _("all")), ("active", _("active")), ("dormant", _("dormant"))]


class DirectoryFilterForm(FilterForm):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    department = reference_choice(Department, _("Department"), _("Unknown department: “%(value)s”."))
    activity = forms.ChoiceField(
        label=_("Activity"),
        required=False,
        choices=ACTIVITY_CHOICES,
        widget=LeanSelect,
        error_messages={"invalid_choice": _("Unknown activity: “%(value)s”: choose active or dormant.")},
    )
    near = forms.CharField(
        label=_("Near"),
        required=False,
        max_length=200,
        help_text=_("A commune: “Nice”, “Saint-Denis (93)” or an INSEE code."),
    )
    radius = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        min_value=1,
        max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_RADIUS_KM)}),
        error_messages={
            "invalid": _("The radius must be a whole number of kilometres, like 20."),
            "min_value": _("The radius must be at least %(limit_value)s km."),
            "max_value": _("The radius must be at most %(limit_value)s km."),
        },
    )

    def clean_near(self):
        entry = self.cleaned_data["near"].strip()
        if not entry:
            return None
        commune = find_commune(entry)
        if commune.latitude is None or commune.longitude is None:
            raise forms.ValidationError(
                _("The centre of %(commune)s is not known: choose a commune nearby."),
                params={"commune": commune},
            )
        return commune

    def clean_radius(self):
        radius = self.cleaned_data["radius"]
        return DEFAULT_RADIUS_KM if radius is None else radius


def _matching_name(query: str) -> Q:
    condition = Q()
    for word in words(query):
        condition &= Q(search_name__contains=word)
    return condition


def filter_collectives(queryset: QuerySet, data: dict) -> QuerySet:
    """Apply the cleaned filters of a DirectoryFilterForm, except ``near`` (see ``nearest_first``)."""
    if data.get("q"):
        queryset = queryset.filter(_matching_name(data["q"]))
    if data.get("department"):
        queryset = queryset.covering_department(data["department"])
    if data.get("activity"):
        queryset = queryset.filter(is_dormant=data["activity"] == "dormant")
    return queryset


def nearest_first(queryset: QuerySet, data: dict) -> list[tuple[float, int]]:
    """(km, id) of the collectives of ``queryset`` near ``data["near"]``, nearest first, then by name."""
    distances = collective_distances(data["near"], data["radius"])
    names = queryset.filter(pk__in=list(distances)).values_list("pk", "search_name")
    ordered = sorted(names, key=lambda row: (distances[row[0]], row[1], row[0]))
    return [(distances[pk], pk) for pk, _name in ordered]
