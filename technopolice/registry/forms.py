"""The dossier form: what a visitor proposes, turned into a snapshot payload (registry.snapshots).

Server-rendered and usable without JavaScript: places and organisations are typed as
text ("Saint-Étienne (42)", an INSEE code, a vendor's name) and resolved here, each
unknown entry named in a clear message next to its field. Sources and events are
formsets with a few blank rows; blank rows are ignored, and at least one source is
required. The form never writes anything: publishing goes through registry.actions
once a moderator accepts the proposal.
"""

import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopolice.lib.text import fold

from .models import (
    Commune,
    Department,
    DossierStatus,
    Event,
    Organisation,
    Region,
    Source,
    Technology,
)
from .snapshots import SCALAR_FIELDS

# "Saint-Étienne (42)": a name with its department code in brackets.
NAME_WITH_DEPARTMENT = re.compile(r"^(?P<name>.+?)\s*\((?P<department>[0-9][0-9AB][0-9]?)\)$", re.IGNORECASE)
INSEE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"[\n;]+")
CODE_SEPARATORS = re.compile(r"[\s,;]+")


class DateInput(forms.DateInput):
    """The browser's date picker; it reads and writes ISO dates."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


def split_entries(text: str, separators=LIST_SEPARATORS) -> list[str]:
    """The non-empty entries of a free-text list, in order, without duplicates."""
    entries = [entry.strip() for entry in separators.split(text or "")]
    return list(dict.fromkeys(entry for entry in entries if entry))


def find_commune(entry: str) -> Commune:
    """Resolve an INSEE code, "Name (department)" or a bare name that is unambiguous."""
    if INSEE_CODE.match(entry):
        communes = Commune.objects.filter(insee=entry.upper())
    else:
        match = NAME_WITH_DEPARTMENT.match(entry)
        name = match["name"] if match else entry
        communes = Commune.objects.filter(search_name=fold(name))
        if match:
            communes = communes.filter(department__code=match["department"].upper())
    found = list(communes.select_related("department")[:2])
    if not found:
        raise forms.ValidationError(gettext("Unknown commune: %(entry)s.") % {"entry": entry})
    if len(found) > 1:
        raise forms.ValidationError(
            gettext("Several communes are called %(entry)s: add the department, e.g. “%(example)s”.")
            % {"entry": entry, "example": str(found[0])}
        )
    return found[0]


def find_organisation(entry: str) -> Organisation:
    """Resolve an organisation by its slug or its name (case and accents ignored)."""
    query = Q(slug=entry) | Q(slug=slugify(entry)) | Q(name__iexact=entry)
    found = list(Organisation.objects.filter(query)[:2])
    if len(found) != 1:
        raise forms.ValidationError(
            gettext(
                "Unknown organisation: %(entry)s. Name it as in the registry, or say who it is in your note."
            )
            % {"entry": entry}
        )
    return found[0]


def _resolve_all(entries: list[str], resolve) -> list:
    """Resolve every entry, collecting every error so the visitor fixes them all at once."""
    found, errors = [], []
    for entry in entries:
        try:
            found.append(resolve(entry))
        except forms.ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise forms.ValidationError(errors)
    return found


def _resolve_department(entry: str) -> Department:
    department = Department.objects.filter(code=entry.upper()).first()
    if department is None:
        raise forms.ValidationError(gettext("Unknown department code: %(entry)s.") % {"entry": entry})
    return department


class DossierForm(forms.Form):
    """The dossier itself; sources and events come in their own formsets."""

    title = forms.CharField(label=_("Title"), max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), choices=DossierStatus.choices, initial=DossierStatus.UNKNOWN
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, [link](https://…), lists with -."),
    )
    technologies = forms.ModelMultipleChoiceField(
        label=_("Technologies"),
        queryset=Technology.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    communes = forms.CharField(
        label=_("Communes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: a name with its department, like “Saint-Étienne (42)”, or an INSEE code."),
    )
    departments = forms.CharField(
        label=_("Departments"),
        required=False,
        max_length=1000,
        help_text=_("Department codes separated by commas, like “42, 69, 2A”."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_national = forms.BooleanField(
        label=_("Covers the whole country"),
        required=False,
        help_text=_("Like the TAJ and TES files."),
    )
    operator = forms.CharField(
        label=_("Operator"),
        required=False,
        max_length=200,
        help_text=_("The public body that runs it, as named in the registry."),
    )
    vendors = forms.CharField(
        label=_("Vendors"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Companies that sold or built it, one per line."),
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())
    budget_eur = forms.DecimalField(
        label=_("Budget (euros)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    funding = forms.CharField(
        label=_("Funding source"),
        required=False,
        max_length=300,
        help_text=_("For example the state fund FIPD."),
    )
    camera_count = forms.IntegerField(
        label=_("Number of cameras"), required=False, min_value=0, max_value=10**7
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    disputed = forms.BooleanField(label=_("Disputed"), required=False)
    dispute_reason = forms.CharField(
        label=_("Why it is disputed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown publicly next to the dossier."),
    )

    def clean_communes(self) -> list[Commune]:
        return _resolve_all(split_entries(self.cleaned_data["communes"]), find_commune)

    def clean_departments(self) -> list[Department]:
        codes = split_entries(self.cleaned_data["departments"], CODE_SEPARATORS)
        return _resolve_all(codes, _resolve_department)

    def clean_vendors(self) -> list[Organisation]:
        return _resolve_all(split_entries(self.cleaned_data["vendors"]), find_organisation)

    def clean_operator(self) -> Organisation | None:
        entry = self.cleaned_data["operator"].strip()
        return find_organisation(entry) if entry else None

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext("The end date comes before the start date."))
        if data.get("disputed") and not (data.get("dispute_reason") or "").strip():
            self.add_error(
                "dispute_reason", gettext("Say why the dossier is disputed: the reason is shown publicly.")
            )
        return data

    def to_payload(self) -> dict:
        """The validated form as the scalar and list parts of a snapshot."""
        data = self.cleaned_data
        payload = {name: _json(data[name]) for name in SCALAR_FIELDS if name in data}
        payload["technologies"] = sorted(t.slug for t in data["technologies"])
        payload["communes"] = sorted(c.insee for c in data["communes"])
        payload["departments"] = sorted(d.code for d in data["departments"])
        payload["regions"] = sorted(r.code for r in data["regions"])
        payload["vendors"] = sorted(o.slug for o in data["vendors"])
        payload["operator"] = data["operator"].slug if data["operator"] else None
        return payload


def _json(value):
    """Dates and decimals as the strings a snapshot stores ("2019-03-01", "24000.00")."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, str):
        # Browsers send textarea lines as CRLF: store LF so an untouched text is no change.
        return value.replace("\r\n", "\n")
    return value.isoformat() if hasattr(value, "isoformat") else value


class SourceForm(forms.Form):
    url = forms.URLField(label=_("URL"), max_length=1000, assume_scheme="https")
    title = forms.CharField(label=_("Title"), max_length=300)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=Source._meta.get_field("kind").choices, initial="press")


class EventForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=Event._meta.get_field("kind").choices, initial="other")
    title = forms.CharField(label=_("What happened"), max_length=300)
    verdict = forms.ChoiceField(
        label=_("For the campaign"),
        choices=[("", "—"), *Event._meta.get_field("verdict").choices],
        required=False,
        help_text=_(
            "For outcomes (court decisions, cancellations…): a victory or a defeat for civil liberties."
        ),
    )
    description = forms.CharField(
        label=_("Details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.URLField(label=_("Source URL"), max_length=1000, required=False, assume_scheme="https")


class BaseRowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled rows as snapshot dicts, blank rows left out."""
        rows = []
        for form in self.forms:
            # Blank extra rows skip validation and have no cleaned data.
            if form.cleaned_data and not self._should_delete_form(form):
                rows.append(
                    {name: _json(value) for name, value in form.cleaned_data.items() if name != "DELETE"}
                )
        return rows


class BaseSourceFormSet(BaseRowFormSet):
    default_error_messages = {
        **BaseRowFormSet.default_error_messages,
        "too_few_forms": _("Add at least one source: nothing is published without one."),
    }


SourceFormSet = forms.formset_factory(
    SourceForm,
    formset=BaseSourceFormSet,
    extra=2,
    can_delete=True,
    min_num=1,
    validate_min=True,
    max_num=50,
    validate_max=True,
    # Rows are built as the posted TOTAL_FORMS says, up to absolute_max (max_num + 1,000 by
    # default): a forged count cost seconds of CPU a request. Past max_num it is refused anyway.
    absolute_max=50,
)
EventFormSet = forms.formset_factory(
    EventForm,
    formset=BaseRowFormSet,
    extra=2,
    can_delete=True,
    max_num=100,
    validate_max=True,
    absolute_max=100,
)


class ProposalExtrasForm(forms.Form):
    """What travels with a proposal but is not part of the dossier: a note and the spam traps."""

    message = forms.CharField(
        label=_("Note to the moderators"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: how you know, what you changed. Not published."),
    )
    # The honeypot: hidden from people by the "hp" class, filled in by naive robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # No max_length: a hidden field's error would be invisible; lib.altcha refuses oversized payloads.
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)


class DossierProposal:
    """The three parts of the page (dossier, sources, events) validated and turned into one payload."""

    def __init__(self, data=None, initial: dict | None = None):
        initial = initial or {}
        self.dossier = DossierForm(data, initial=initial_fields(initial))
        self.sources = SourceFormSet(data, prefix="sources", initial=initial.get("sources") or None)
        self.events = EventFormSet(data, prefix="events", initial=initial.get("events") or None)
        self.base = initial

    def is_valid(self) -> bool:
        # Validate every part so that all errors are shown at once.
        results = [self.dossier.is_valid(), self.sources.is_valid(), self.events.is_valid()]
        return all(results)

    @property
    def has_errors(self) -> bool:
        """For the summary at the top of a long form: on a phone the first error may be far below."""
        if not self.dossier.is_bound:
            return False
        return bool(
            self.dossier.errors or self.sources.total_error_count() or self.events.total_error_count()
        )

    def payload(self) -> dict:
        """The full snapshot; fields the form does not show (is_example) are kept from the base."""
        payload = {name: self.base.get(name) for name in SCALAR_FIELDS}
        payload["is_example"] = bool(self.base.get("is_example"))
        payload.update(self.dossier.to_payload())
        payload["sources"] = self.sources.rows()
        payload["events"] = self.events.rows()
        return payload


def initial_fields(payload: dict) -> dict:
    """A snapshot as initial values of DossierForm: codes turned back into readable text."""
    if not payload:
        return {}
    initial = {name: payload.get(name) for name in SCALAR_FIELDS if name in payload}
    initial["technologies"] = payload.get("technologies", [])
    initial["regions"] = payload.get("regions", [])
    communes = Commune.objects.filter(insee__in=payload.get("communes", [])).select_related("department")
    initial["communes"] = "\n".join(str(c) for c in communes)
    initial["departments"] = ", ".join(payload.get("departments", []))
    names = dict(
        Organisation.objects.filter(
            slug__in=[*payload.get("vendors", []), payload.get("operator")]
        ).values_list("slug", "name")
    )
    initial["vendors"] = "\n".join(names.get(slug, slug) for slug in payload.get("vendors", []))
    initial["operator"] = names.get(payload.get("operator"), payload.get("operator") or "")
    return initial
