"""The event form and the list filters.

Times are typed in Europe/Paris, the time zone every event happens in, whatever the
server's or the visitor's: "20:00" on a winter evening is stored as 19:00 UTC, on a summer
evening as 18:00 UTC. The commune is typed as in the registry's dossier form ("Saint-Étienne
(42)" or an INSEE code) and resolved by the same helper; the dossier by its address, its slug
or its exact title.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopolice.collectives.models import Collective
from technopolice.lib.widgets import LeanSelect
from technopolice.registry.filters import FilterForm, in_commune, reference_choice
from technopolice.registry.forms import DateInput, find_commune
from technopolice.registry.models import Commune, Department, Dossier

from .models import Event, EventKind
from .permissions import collectives_for, is_event_moderator

PARIS = ZoneInfo("Europe/Paris")
# Further ahead is a typo more often than a plan.
MAX_AHEAD = dt.timedelta(days=2 * 365)
SUGGESTIONS = 50


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self):
        super().__init__(format="%H:%M")


def paris_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=PARIS)


def find_dossier(entry: str) -> Dossier:
    """A dossier by its page's address, its slug or its exact title."""
    slug = entry.rstrip("/").rsplit("/", 1)[-1]
    found = list(Dossier.objects.filter(Q(slug=slug) | Q(title__iexact=entry))[:2])
    if len(found) != 1:
        raise forms.ValidationError(
            gettext("Unknown dossier: %(entry)s. Paste the address of its page, or its exact title.")
            % {"entry": entry}
        )
    return found[0]


class EventForm(forms.Form):
    collective = forms.ModelChoiceField(
        label=_("Collective"), queryset=Collective.objects.none(), to_field_name="slug", widget=LeanSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices, initial=EventKind.MEETING)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists with -."),
    )
    start_date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(
        label=_("Starts at"), widget=TimeInput(), help_text=_("Paris time, like 20:00.")
    )
    end_date = forms.DateField(
        label=_("End date"), required=False, widget=DateInput(), help_text=_("If it ends on another day.")
    )
    end_time = forms.TimeField(label=_("Ends at"), required=False, widget=TimeInput())
    commune = forms.CharField(
        label=_("Commune"),
        required=False,
        max_length=200,
        help_text=_("A name with its department, like “Saint-Étienne (42)”, or an INSEE code."),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)
    online_url = forms.URLField(
        label=_("Online at"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For an online event: the address of the meeting or the stream."),
    )
    department = reference_choice(Department, _("Department"), _("Unknown department: “%(value)s”."))
    dossier = forms.CharField(
        label=_("Dossier"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"list": "dossier-suggestions"}),
        help_text=_(
            "Optional, for a council session that votes a project: "
            "the address of the dossier's page or its title."
        ),
    )

    def __init__(self, *args, user, instance: Event | None = None, **kwargs):
        self.instance = instance
        moderator = is_event_moderator(user)
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(instance)
        super().__init__(*args, **kwargs)
        field = self.fields["collective"]
        field.queryset = collectives_queryset(user, instance)
        field.required = not moderator
        field.empty_label = _("none (published by the moderators)") if moderator else None
        self.fields["department"].empty_label = _("none")
        self.fields["department"].help_text = _(
            "For an online event without a commune: the department it concerns."
        )

    def clean_commune(self) -> Commune | None:
        entry = self.cleaned_data["commune"].strip()
        return find_commune(entry) if entry else None

    def dossier_suggestions(self) -> list[Dossier]:
        """The dossiers of the commune typed (or the event's), offered as the dossier field's choices."""
        commune = (
            self.cleaned_data.get("commune") if self.is_bound and hasattr(self, "cleaned_data") else None
        )
        if commune is None and self.instance is not None:
            commune = self.instance.commune
        if commune is None:
            return []
        return list(Dossier.objects.filter(in_commune(commune)).order_by("title")[:SUGGESTIONS])

    def clean_dossier(self) -> Dossier | None:
        entry = self.cleaned_data["dossier"].strip()
        return find_dossier(entry) if entry else None

    def clean(self) -> dict:
        data = super().clean()
        self._check_place(data)
        self._set_times(data)
        return data

    def _check_place(self, data: dict) -> None:
        if "commune" in data and "online_url" in data and not data["commune"] and not data["online_url"]:
            self.add_error(
                "commune", gettext("Give the commune where it takes place, or the address online.")
            )

    def _set_times(self, data: dict) -> None:
        day, start_time = data.get("start_date"), data.get("start_time")
        if not (day and start_time):
            return
        data["starts_at"] = paris_datetime(day, start_time)
        if data["starts_at"] > timezone.now() + MAX_AHEAD:
            self.add_error("start_date", gettext("An event is announced at most two years ahead."))
        data["ends_at"] = None
        if data.get("end_time"):
            data["ends_at"] = paris_datetime(data.get("end_date") or day, data["end_time"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", gettext("The end comes before the start."))
        elif data.get("end_date"):
            self.add_error("end_time", gettext("Give the time it ends on that day."))

    def values(self) -> dict:
        """The validated form as the event's fields."""
        data = self.cleaned_data
        fields = ("collective", "title", "kind", "description", "commune", "address", "online_url", "dossier")
        values = {name: data[name] for name in fields}
        values["description"] = values["description"].replace("\r\n", "\n")
        values["department"] = data["commune"].department if data["commune"] else data["department"]
        values["starts_at"], values["ends_at"] = data["starts_at"], data["ends_at"]
        return values


def collectives_queryset(user, instance: Event | None):
    queryset = collectives_for(user)
    if instance is not None and instance.collective_id:
        # An event keeps its collective even if the editor could not pick it for a new one.
        queryset = queryset | Collective.objects.filter(pk=instance.collective_id)
    return queryset.distinct().order_by("name")


def initial_from(event: Event) -> dict:
    starts, ends = event.starts_at.astimezone(PARIS), event.ends_at and event.ends_at.astimezone(PARIS)
    return {
        "collective": event.collective.slug if event.collective_id else None,
        "title": event.title,
        "kind": event.kind,
        "description": event.description,
        "start_date": starts.date(),
        "start_time": starts.time(),
        "end_date": ends.date() if ends and ends.date() != starts.date() else None,
        "end_time": ends.time() if ends else None,
        "commune": str(event.commune) if event.commune_id else "",
        "address": event.address,
        "online_url": event.online_url,
        "department": event.department.slug if event.department_id and not event.commune_id else None,
        "dossier": event.dossier.slug if event.dossier_id else "",
    }


class EventFilterForm(FilterForm):
    """The event lists' query string: a department, a kind, a collective, each named in the URL."""

    department = reference_choice(Department, _("Department"), _("Unknown department: “%(value)s”."))
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("all"))] + EventKind.choices,
        widget=LeanSelect,
        error_messages={"invalid_choice": _("Unknown kind of event: “%(value)s”.")},
    )
    collective = forms.ModelChoiceField(
        label=_("Collective"),
        queryset=Collective.objects.listed(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Unknown collective: “%(value)s”.")},
    )

    def apply(self, events):
        data = self.cleaned_data
        if data.get("department"):
            events = events.filter(department=data["department"])
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("collective"):
            events = events.filter(collective=data["collective"])
        return events
