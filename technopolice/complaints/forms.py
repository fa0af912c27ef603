"""The signing form and the staff export form."""

import math
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from technopolice.lib import altcha, ratelimit, sealing
from technopolice.registry.models import Department

from . import exports
from .actions import Signature, Signing
from .models import Campaign, LocationRequired

POSTAL_CODE = re.compile(r"^\d{5}$")


def department_for(postal_code: str) -> Department | None:
    """The department a postal code belongs to: 97x/98x overseas use three digits; Corsica's
    20xxx is split between 2A and 2B by its first three digits (200-201 → 2A)."""
    if postal_code.startswith(("97", "98")):
        code = postal_code[:3]
    elif postal_code.startswith("20"):
        code = "2A" if postal_code[:3] in ("200", "201") else "2B"
    else:
        code = postal_code[:2]
    return Department.objects.filter(code=code).first()


class GrievancesField(forms.MultipleChoiceField):
    """Grievances checked against the campaign's list the form was given, not queried again;
    cleans to Grievance objects, each once."""

    widget = forms.CheckboxSelectMultiple

    def offer(self, grievances) -> None:
        self.by_pk = {str(g.pk): g for g in grievances}
        self.choices = [(g.pk, str(g)) for g in grievances]

    def clean(self, value) -> list:
        return [self.by_pk[pk] for pk in dict.fromkeys(super().clean(value))]


class SignForm(altcha.SpamTraps, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254, help_text=_("We send you a link to confirm."))
    grievances = GrievancesField(
        label=_("Grievances you join"),
        error_messages={
            "required": _("Choose at least one grievance."),
            "invalid_choice": _("This grievance is not part of this campaign."),
        },
    )
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=5, required=False)
    commune = forms.CharField(label=_("Commune"), max_length=150, required=False)
    consent_mandate = forms.BooleanField(
        label=_(
            "I give the filing organisation a mandate to file this complaint on my behalf, "
            "in the words above."
        ),
        error_messages={"required": _("Without this mandate your signature cannot be filed.")},
    )
    consent_data = forms.BooleanField(
        label=_(
            "I agree that my name, email and the details above are kept, encrypted, for this complaint only."
        ),
        error_messages={"required": _("We cannot keep your signature without this consent.")},
    )
    wants_news = forms.BooleanField(
        label=_("Send me this campaign's news"),
        required=False,
        help_text=_(
            "Then the platform keeps your email readable until the campaign's data is deleted; "
            "otherwise it forgets it once your emails are sent."
        ),
    )
    mandate_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # A field people never see: bots fill it, and are then told "thank you" without anything saved.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, campaign: Campaign, *args, signing: Signing | None = None, **kwargs):
        """``signing``: the campaign as this process keeps it (actions.signing); read afresh if
        not given."""
        super().__init__(*args, **kwargs)
        signing = signing or Signing.of(campaign)
        self.campaign = campaign
        self.mandate = signing.mandate
        self.fields["grievances"].offer(signing.grievances)
        self.fields["mandate_hash"].initial = self.mandate.content_hash if self.mandate else ""
        self._require_location(campaign.location_required)

    def _require_location(self, required: str) -> None:
        wanted = {
            LocationRequired.ADDRESS: ["street", "postal_code", "commune"],
            LocationRequired.COMMUNE: ["postal_code", "commune"],
        }.get(required, [])
        for name in ["street", "postal_code", "commune"]:
            if name in wanted:
                self.fields[name].required = True
            else:
                del self.fields[name]

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].strip()
        if not POSTAL_CODE.match(code):
            raise forms.ValidationError(_("A French postal code has five digits."))
        return code

    def clean_mandate_hash(self) -> str:
        # The signatory is bound to the text they read: if staff changed it meanwhile, show it again.
        value = self.cleaned_data["mandate_hash"]
        if self.mandate is None or value != self.mandate.content_hash:
            self.mandate = self.campaign.current_mandate()  # what this process keeps may be behind
        if self.mandate is None or value != self.mandate.content_hash:
            raise forms.ValidationError(
                _("The mandate text has just changed: please read it again and confirm.")
            )
        return value

    def address(self) -> str:
        data = self.cleaned_data
        parts = [data.get("street", ""), f"{data.get('postal_code', '')} {data.get('commune', '')}".strip()]
        return "\n".join(p for p in parts if p)

    def signature(self) -> Signature:
        data = self.cleaned_data
        code = data.get("postal_code")
        return Signature(
            campaign=self.campaign,
            mandate=self.mandate,
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            grievances=list(data["grievances"]),
            address=self.address(),
            department=department_for(code) if code else None,
            wants_news=data.get("wants_news", False),
        )


class SecretTextarea(forms.Textarea):
    """A textarea that never shows its value back: a pasted private key is not echoed into the
    page when the form comes back with an error."""

    def format_value(self, value):
        return None


# A key file is three short lines; anything much larger is not one (and is not kept in memory).
KEY_FILE_MAX_BYTES = 4096


class ExportForm(forms.Form):
    """The organiser's private key (a file or pasted), read from memory only, and the password
    again. The key is checked against the campaign's public key before anything is read."""

    grievance = forms.ModelChoiceField(
        label=_("Only the signatories of"), queryset=None, required=False, empty_label=_("every grievance")
    )
    key_file = forms.FileField(
        label=_("The campaign's private key file"),
        required=False,
        help_text=_(
            "The file made by “technopolice complaint_keys”. It is read in memory for this export "
            "only: never written to disk, logged nor kept."
        ),
    )
    key_text = forms.CharField(
        label=_("Or paste the private key"),
        required=False,
        max_length=KEY_FILE_MAX_BYTES,
        widget=SecretTextarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput,
        help_text=_("This export holds people's identities: confirm it is you."),
    )

    def __init__(self, campaign: Campaign, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.campaign = campaign
        self.fields["grievance"].queryset = campaign.grievances.all()

    def clean(self) -> dict:
        """One key, given once, that is a key and the campaign's: ``private_key`` in cleaned_data."""
        data = super().clean()
        upload, pasted = data.get("key_file"), (data.get("key_text") or "").strip()
        if bool(upload) == bool(pasted):
            if "key_file" not in self.errors and "key_text" not in self.errors:
                self.add_error(None, _("Give the campaign's private key: its file, or the key pasted."))
            return data
        raw = upload.read(KEY_FILE_MAX_BYTES + 1) if upload else pasted
        try:
            if len(raw) > KEY_FILE_MAX_BYTES:
                raise sealing.SealingError
            key = sealing.read_private_key(raw)
        except sealing.SealingError:
            self.add_error(
                "key_file" if upload else "key_text",
                _("This is not a campaign private key: give the file made by “technopolice complaint_keys”."),
            )
            return data
        try:
            exports.check_key(self.campaign, key)
        except exports.ExportRefused as refused:
            self.add_error(None, str(refused))
            return data
        data["private_key"] = key
        return data

    def clean_password(self) -> str:
        """The password again, with its wrong guesses limited per person (a session left open on
        a shared computer must not let anyone try passwords at leisure); right ones do not count."""
        password = self.cleaned_data["password"]
        limit = getattr(settings, "RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR", 20)
        slot = ratelimit.take("export-password", str(self.user.pk), limit)
        if slot is None:
            minutes = max(1, math.ceil(ratelimit.seconds_left() / 60))
            message = ngettext(
                "Too many wrong passwords: you may try again in %(minutes)d minute.",
                "Too many wrong passwords: you may try again in %(minutes)d minutes.",
                minutes,
            )
            raise forms.ValidationError(message % {"minutes": minutes}, code="throttled")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        ratelimit.give_back(slot)
        return password
