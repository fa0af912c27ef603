from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .roles import CONTRIBUTORS


class SignupForm(UserCreationForm):
    """A pseudonymous account: a name and a password, nothing else (no email needed)."""

    # The honeypot, hidden from people by the "hp" class.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username"]
        help_texts = {"username": _("A pseudonym is fine. Letters, digits and @/./+/-/_ only.")}

    @transaction.atomic
    def save(self, commit=True):
        user = super().save(commit=commit)
        user.groups.add(Group.objects.get(name=CONTRIBUTORS))
        return user
