"""The forms of a signatory's own page: correcting a signature, and the copy of one's mandate.

The server cannot read the name and address it would prefill (they are sealed to the campaign's
key): their fields start empty and an empty field leaves the value as it is. The email address
is asked again, since the server may have forgotten it, and checked against its keyed hash.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from technopolice.lib import ratelimit

from . import changes
from .forms import POSTAL_CODE, GrievancesField, department_for
from .models import LocationRequired, Signatory

WRONG_EMAILS_PER_HOUR = 10  # whoever holds a forwarded link cannot try addresses at leisure


class ChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("The email address you signed with"),
        max_length=254,
        help_text=_("We send the confirmation of your change there."),
    )
    grievances = GrievancesField(
        label=_("Grievances you join"),
        error_messages={
            "required": _("Choose at least one grievance (or withdraw your signature)."),
            "invalid_choice": _("This grievance is not part of this campaign."),
        },
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=100, required=False, help_text=_("Leave empty to keep it.")
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=100, required=False, help_text=_("Leave empty to keep it.")
    )
    street = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=5, required=False)
    commune = forms.CharField(label=_("Commune"), max_length=150, required=False)
    mandate_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent_mandate = forms.BooleanField(
        label=_(
            "I give the filing organisation a mandate to file this complaint on my behalf, "
            "in the words above."
        ),
        error_messages={"required": _("A change renews your mandate: tick this box to give it.")},
    )

    def __init__(self, signatory: Signatory, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signatory = signatory
        campaign = signatory.campaign
        self.mandate = campaign.current_mandate()
        self.fields["grievances"].offer(list(campaign.grievances.all()))
        self.fields["grievances"].initial = [g.pk for g in signatory.grievances.all()]
        self.fields["mandate_hash"].initial = self.mandate.content_hash if self.mandate else ""
        self.address_fields = {
            LocationRequired.ADDRESS: ["street", "postal_code", "commune"],
            LocationRequired.COMMUNE: ["postal_code", "commune"],
        }.get(campaign.location_required, [])
        for name in ["street", "postal_code", "commune"]:
            if name not in self.address_fields:
                del self.fields[name]
            else:
                self.fields[name].help_text = _("Leave the address empty to keep it.")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        key = ratelimit.subject_key(f"signatory-{self.signatory.pk}")
        slot = ratelimit.take("complaints-change-email", key, WRONG_EMAILS_PER_HOUR)
        if slot is None:
            raise forms.ValidationError(_("Too many wrong addresses: try again in an hour."))
        if not changes.matches(self.signatory, email):
            raise forms.ValidationError(
                _("This is not the address this signature was made with: type the one the email came to.")
            )
        ratelimit.give_back(slot)
        return email

    def clean_postal_code(self) -> str:
        code = self.cleaned_data["postal_code"].strip()
        if code and not POSTAL_CODE.match(code):
            raise forms.ValidationError(_("A French postal code has five digits."))
        return code

    def clean_mandate_hash(self) -> str:
        value = self.cleaned_data["mandate_hash"]
        if self.mandate is None or value != self.mandate.content_hash:
            raise forms.ValidationError(
                _("The mandate text has just changed: please read it again and confirm.")
            )
        return value

    def clean(self):
        data = super().clean()
        given = [name for name in self.address_fields if (data.get(name) or "").strip()]
        if given and len(given) < len(self.address_fields):
            for name in self.address_fields:
                if name not in given:
                    self.add_error(name, _("A new address needs every one of its fields."))
        if not self.errors and not self._changes_something(data):
            raise forms.ValidationError(
                _("This changes nothing: tick other grievances or type what must be corrected.")
            )
        return data

    def _changes_something(self, data) -> bool:
        typed = any(
            (data.get(name) or "").strip() for name in ["first_name", "last_name", *self.address_fields]
        )
        chosen = {g.pk for g in data.get("grievances", [])}
        current = set(self.fields["grievances"].initial)
        return typed or chosen != current or self.mandate.pk != self.signatory.mandate_id

    def address(self) -> str:
        data = self.cleaned_data
        parts = [data.get("street", ""), f"{data.get('postal_code', '')} {data.get('commune', '')}".strip()]
        return "\n".join(p.strip() for p in parts if p.strip())

    def correction(self) -> changes.Correction:
        data = self.cleaned_data
        code = data.get("postal_code")
        return changes.Correction(
            email=data["email"],
            mandate=self.mandate,
            grievances=list(data["grievances"]),
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            address=self.address(),
            department=department_for(code) if code else None,
        )


class CopyForm(forms.Form):
    """The copy of one's mandate. The server cannot write the name in it: the person may type
    it, for their own copy; it goes into the file and is not stored."""

    name = forms.CharField(
        label=_("Your name, to write on your copy (optional)"),
        max_length=200,
        required=False,
        help_text=_("Written into the file only: the platform does not keep it."),
    )
