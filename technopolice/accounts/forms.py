from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from technopolice.lib import mail

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


class CodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    token = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
        error_messages={"required": _("Enter a code.")},
    )


class PasswordCheckForm(forms.Form):
    """A form that only proceeds with the account's current password."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."), code="password_incorrect")
        return password


class EmailChangeForm(PasswordCheckForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("Never shown to anyone. A link is sent there: the address is kept once you follow it."),
    )
    field_order = ["email", "password"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise forms.ValidationError(_("This is already your address."), code="same")
        return email


class DeleteAccountForm(PasswordCheckForm):
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form (unknown addresses get the same answer), its email sent as plain text
    without escaping, through the platform's mailer (lib/mail.py)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        path = reverse("accounts:password_reset_confirm", args=[context["uid"], context["token"]])
        context = {
            "username": context["user"].get_username(),
            "link": settings.SITE_URL.rstrip("/") + path,
            "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        }
        mail.send(mail.build("accounts/emails/password_reset", context, [to_email]))
