"""Upload forms: several files at once, cleaned in memory before anything is stored."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.lib.images import ImageRefused, check_post
from technopolice.registry.models import Dossier, Organisation

from .cleaning import Cleaned, Refused, clean
from .models import DocumentKind

ACCEPT = "application/pdf,image/jpeg,image/png,image/webp,text/plain"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is cleaned (type check and metadata removal) in memory."""

    widget = MultipleFileInput(attrs={"accept": ACCEPT})

    def clean(self, data, initial=None) -> list[Cleaned]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(_("Choose at least one file."), code="required")
        if len(files) > settings.DOCUMENTS_MAX_FILES:
            raise ValidationError(
                _("Send at most %(max)d files at once.") % {"max": settings.DOCUMENTS_MAX_FILES}
            )
        return _clean_files(files)


def _clean_files(files) -> list[Cleaned]:
    contents = [upload.read() for upload in files]
    try:
        check_post(contents)  # too many or too large images together: refused before any decoding
    except ImageRefused as refused:
        raise ValidationError(str(refused)) from None
    cleaned, errors = [], []
    for upload, content in zip(files, contents, strict=True):
        try:
            cleaned.append(clean(content))
        except Refused as refused:
            # The file name is only echoed back to its sender, never stored.
            errors.append(
                ValidationError("%(name)s: %(reason)s", params={"name": upload.name, "reason": refused})
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Files"), help_text=gettext_lazy("PDF, JPEG, PNG, WebP or plain text.")
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=280)
    date = forms.DateField(
        label=gettext_lazy("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=DocumentKind.choices, initial=DocumentKind.OTHER
    )
    issuer = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=gettext_lazy("Issuing body"),
        to_field_name="slug",
        required=False,
        widget=forms.TextInput,
        help_text=gettext_lazy("The organisation's short name (slug), as in its address on this site."),
        error_messages={"invalid_choice": gettext_lazy("No organisation has this short name.")},
    )
    dossiers = forms.CharField(
        label=gettext_lazy("Dossiers"),
        required=False,
        help_text=gettext_lazy("Short names (slugs) of the dossiers it documents, separated by commas."),
    )
    message = forms.CharField(
        label=gettext_lazy("Note to the moderators"), required=False, max_length=5000, widget=forms.Textarea
    )
    website = forms.CharField(
        required=False, label="", widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    def clean_dossiers(self) -> list[str]:
        slugs = sorted({s.strip() for s in self.cleaned_data["dossiers"].split(",") if s.strip()})
        known = set(Dossier.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [s for s in slugs if s not in known]
        if unknown:
            raise ValidationError(_("Unknown dossier: %(slugs)s.") % {"slugs": ", ".join(unknown)})
        return slugs

    def clean_website(self) -> str:
        # A honeypot: people never see this field, robots fill it.
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this field empty."))
        return ""

    def payload(self) -> dict:
        data = self.cleaned_data
        issuer = data.get("issuer")
        return {
            "title": data["title"],
            "date": data["date"].isoformat() if data.get("date") else None,
            "kind": data["kind"],
            "issuer": issuer.slug if issuer else None,
            "dossiers": data["dossiers"],
        }


class LeakForm(UploadForm):
    """The anonymous drop: only the files are required; nothing about the sender is asked."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=280, required=False)

    def payload(self) -> dict:
        payload = super().payload()
        payload["title"] = payload["title"] or _("Document handed in anonymously")
        return payload


class DocumentFilterForm(forms.Form):
    """The document list's query string: a year past any date, a slug with a NUL byte (which
    PostgreSQL refuses) or an unknown kind is a 400 that says why, never a server error."""

    kind = forms.ChoiceField(
        choices=DocumentKind.choices,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Unknown kind of document.")},
    )
    issuer = forms.SlugField(
        required=False,
        max_length=220,
        error_messages={"invalid": gettext_lazy("No organisation has this short name.")},
    )
    dossier = forms.SlugField(
        required=False,
        max_length=220,
        error_messages={"invalid": gettext_lazy("No dossier has this short name.")},
    )
    year = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=9999,
        error_messages={
            "invalid": gettext_lazy("The year must be a number."),
            "min_value": gettext_lazy("The year must be between 1 and 9999."),
            "max_value": gettext_lazy("The year must be between 1 and 9999."),
        },
    )

    def error_message(self) -> str:
        return " ".join(str(message) for errors in self.errors.values() for message in errors)
