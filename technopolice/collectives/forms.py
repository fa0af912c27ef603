"""The collective's form, for its creation and for its organisers' edits.

Places are typed as in the dossier form (registry.forms): communes one per line, as an INSEE
code or "Name (department)", departments as codes. The logo is checked here, before anything
is written: at most 2 MB, an image within the pixel budget, and re-encoded from its pixels
(lib.images) so its EXIF (GPS position, device) never reaches the disk.
"""

import datetime as dt
import re

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopolice.lib.images import CleanImage, ImageRefused, strip_metadata
from technopolice.registry.forms import DateInput, DossierForm

MAX_LOGO_BYTES = 2 * 1024 * 1024
SIGNAL_GROUP = re.compile(r"^https://signal\.group/#?[A-Za-z0-9_\-=+/%.]+$")
MASTODON_HANDLE = re.compile(r"^@?[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MATRIX_ROOM = re.compile(r"^#[^:\s]+:[A-Za-z0-9.-]+(:[0-9]+)?$")
MATRIX_TO = "https://matrix.to/#/"
https_url = URLValidator(schemes=["https"])
web_url = URLValidator(schemes=["http", "https"])


def _is_https_url(value: str) -> bool:
    try:
        https_url(value)
    except forms.ValidationError:
        return False
    return True


class CollectiveForm(forms.Form):
    """What a collective says of itself; ``editing=True`` adds the dormant switch."""

    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Who you are and what you do. Markdown: **bold**, *italic*, [link](https://…), lists with -."
        ),
    )
    # Places are typed and resolved as in the dossier form: the same fields and checks.
    communes = DossierForm.base_fields["communes"]
    departments = DossierForm.base_fields["departments"]
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DateInput())
    website = forms.CharField(label=_("Website"), required=False, max_length=200, validators=[web_url])
    mastodon = forms.CharField(
        label=_("Mastodon account"),
        required=False,
        max_length=200,
        help_text=_("Like @collectif@mastodon.social, or the account's https:// address."),
    )
    matrix = forms.CharField(
        label=_("Matrix room"),
        required=False,
        max_length=200,
        help_text=_("Like #technopolice:matrix.org, or a https://matrix.to/#/… link."),
    )
    signal = forms.CharField(
        label=_("Signal group link"),
        required=False,
        max_length=200,
        help_text=_("The group's invitation link: https://signal.group/#…"),
    )
    accepts_messages = forms.BooleanField(
        label=_("Visitors may write to the organisers"),
        required=False,
        initial=True,
        help_text=_("Through the site's relay: neither side sees the other's address."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, 2 MB at most. Its metadata are removed before it is stored."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["remove_logo"] = forms.BooleanField(label=_("Remove the logo"), required=False)
            self.fields["is_dormant"] = forms.BooleanField(
                label=_("Dormant"),
                required=False,
                help_text=_("The collective is not active for now; it stays in the directory, marked so."),
            )

    @classmethod
    def initial_for(cls, collective) -> dict:
        """The form's values for an existing collective, places written as people type them."""
        fields = ("name", "description", "founded_on", "website", "mastodon", "matrix", "signal")
        initial = {name: getattr(collective, name) for name in fields}
        communes = collective.communes.select_related("department").order_by("name")
        initial["communes"] = "\n".join(str(commune) for commune in communes)
        initial["departments"] = ", ".join(
            collective.departments.order_by("code").values_list("code", flat=True)
        )
        initial["accepts_messages"] = collective.accepts_messages
        initial["is_dormant"] = collective.is_dormant
        return initial

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_description(self) -> str:
        # Browsers send textarea lines as CRLF: store LF.
        return self.cleaned_data["description"].replace("\r\n", "\n")

    clean_communes = DossierForm.clean_communes
    clean_departments = DossierForm.clean_departments

    def clean_founded_on(self) -> dt.date | None:
        founded = self.cleaned_data["founded_on"]
        if founded and founded > timezone.localdate():
            raise forms.ValidationError(gettext("The founding date is in the future."))
        return founded

    def clean_mastodon(self) -> str:
        value = self.cleaned_data["mastodon"].strip()
        if value and not (MASTODON_HANDLE.match(value) or _is_https_url(value)):
            raise forms.ValidationError(
                gettext("Write the account as @name@server, or its address starting with https://.")
            )
        if MASTODON_HANDLE.match(value) and not value.startswith("@"):
            value = "@" + value
        return value

    def clean_matrix(self) -> str:
        value = self.cleaned_data["matrix"].strip()
        valid = MATRIX_ROOM.match(value) or (value.startswith(MATRIX_TO) and _is_https_url(value))
        if value and not valid:
            raise forms.ValidationError(
                gettext("Write the room as #room:server, or a link starting with https://matrix.to/#/.")
            )
        return value

    def clean_signal(self) -> str:
        value = self.cleaned_data["signal"].strip()
        if value and not SIGNAL_GROUP.match(value):
            raise forms.ValidationError(gettext("A Signal group link starts with https://signal.group/."))
        return value

    def clean_logo(self) -> CleanImage | None:
        """The logo's pixels only, or None; refused with a message if too large or not an image."""
        upload = self.cleaned_data["logo"]
        if not upload:
            return None
        # The upload handler stops keeping bytes one past the limit: a larger file shows up here.
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(gettext("The logo is too large: 2 MB at most."))
        try:
            return strip_metadata(upload.read())
        except ImageRefused as refused:
            raise forms.ValidationError(str(refused)) from None

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("communes") or data.get("departments")):
            self.add_error("communes", gettext("Name at least one commune or department where you act."))
        return data
