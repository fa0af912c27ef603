"""The form a visitor writes to a collective with, and its spam traps."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from technopolice.lib import altcha


def _one_line(value: str) -> None:
    # A name and a subject travel in email headers: no line breaks or control characters.
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValidationError(_("Write this on one line, without special characters."))


class ContactForm(altcha.SpamTraps, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100, validators=[_one_line])
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The organisers answer through the relay: they never see this address."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[_one_line])
    message = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10}))
    # The honeypot: hidden from people by the "hp" class, filled in by naive robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
