"""Records across the country: outcomes (victories and defeats) and what needs re-checking."""

from django import forms
from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from technopolice.lib.opendata import Column

from ..filters import FilterForm, reference_choice
from ..listing import attach_links
from ..models import Event, Organisation, Technology
from ..models.dossiers import OUTCOME_KINDS, OutcomeVerdict
from .browse import DOSSIER_COLUMNS, listed_dossiers
from .common import REGISTRY_ATTRIBUTION, check_form, page_table, serve_list


class OutcomeFilterForm(FilterForm):
    verdict = forms.ChoiceField(
        label=_("For the campaign"),
        required=False,
        choices=[("", _("all"))] + OutcomeVerdict.choices,
        error_messages={"invalid_choice": _("Unknown verdict: “%(value)s”.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all"))] + [(k.value, k.label) for k in OUTCOME_KINDS],
        error_messages={"invalid_choice": _("Unknown kind of outcome: “%(value)s”.")},
    )
    technology = reference_choice(Technology, _("Technology"), _("Unknown technology: “%(value)s”."))


OUTCOME_COLUMNS = [
    Column("date", lambda e: e.date),
    Column("kind", lambda e: e.kind),
    Column("verdict", lambda e: e.verdict),
    Column("title", lambda e: e.title),
    Column("description", lambda e: e.description),
    Column("source_url", lambda e: e.source_url),
    Column("dossier", lambda e: e.dossier.slug),
    Column("dossier_title", lambda e: e.dossier.title),
    Column("dossier_url", lambda e: e.dossier.get_absolute_url()),
]


def outcomes(data: dict):
    """Outcomes across the country, newest first."""
    events = Event.objects.outcomes().select_related("dossier")
    if data.get("verdict"):
        events = events.filter(verdict=data["verdict"])
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if data.get("technology"):
        events = events.filter(dossier__technologies=data["technology"])
    return events.order_by("-date", "-pk")


@require_safe
def outcome_list(request, fmt=None):
    def build(request):
        form = OutcomeFilterForm(request.GET)
        rows = outcomes(check_form(form))
        table, page = page_table(request, "outcomes", OUTCOME_COLUMNS, rows, [REGISTRY_ATTRIBUTION])
        return table, {"form": form, "page": page}

    return serve_list(request, fmt, build, "registry/outcomes.html")


class AgeingFilterForm(FilterForm):
    record = forms.ChoiceField(
        label=_("Records"),
        required=False,
        choices=[("dossiers", _("dossiers")), ("organisations", _("organisations"))],
        error_messages={"invalid_choice": _("Unknown kind of record: “%(value)s”.")},
    )


ORGANISATION_AGEING_COLUMNS = [
    Column("slug", lambda o: o.slug),
    Column("name", lambda o: o.name),
    Column("kind", lambda o: o.kind),
    Column("last_checked", lambda o: o.last_checked),
    Column("disputed", lambda o: o.disputed),
    Column("url", lambda o: o.get_absolute_url()),
]


def _oldest_first(queryset):
    # Never checked comes first: it is the least trustworthy.
    return queryset.order_by(F("last_checked").asc(nulls_first=True), "pk")


@require_safe
def ageing_list(request, fmt=None):
    """Records nobody re-checked for REGISTRY_AGEING_DAYS, oldest check first."""

    def build(request):
        form = AgeingFilterForm(request.GET)
        if check_form(form).get("record") == "organisations":
            rows, columns, name = (
                Organisation.objects.ageing(),
                ORGANISATION_AGEING_COLUMNS,
                "ageing-organisations",
            )
        else:
            rows, columns, name = listed_dossiers().ageing(), DOSSIER_COLUMNS, "ageing-dossiers"
        prepare = attach_links if columns is DOSSIER_COLUMNS else list
        table, page = page_table(
            request, name, columns, _oldest_first(rows), [REGISTRY_ATTRIBUTION], prepare=prepare
        )
        record = form.cleaned_data.get("record") or "dossiers"
        return table, {
            "form": form,
            "page": page,
            "record": record,
            "ageing_days": settings.REGISTRY_AGEING_DAYS,
        }

    return serve_list(request, fmt, build, "registry/ageing.html")
