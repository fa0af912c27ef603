"""The demo's accounts: a moderator and an administrator, with one password printed at creation.

The demo loader (technopolice.demo) runs ``STEPS``; other apps' steps name these accounts
(the registry's example dossiers are published by the moderator).

Both need a second factor before they reach anything (accounts/middleware.py), so each gets a
TOTP device and recovery codes here, and the step prints, on every run, what a person needs to
log in: the TOTP secret (to type into an authenticator app), the code valid right now, and the
unused recovery codes. ``technopolice otp_code <name>`` prints a current code later on.
"""

import os
import secrets

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor
from .roles import ADMINISTRATORS, MODERATORS

MODERATOR, ADMIN = "moderatrice", "admin"


def create_accounts() -> str:
    """A moderator and an administrator; a password is printed only when its account is created."""
    moderator = _account(MODERATOR, MODERATORS, staff=False)
    return f"{moderator}; {_account(ADMIN, ADMINISTRATORS, staff=True)}"


def _account(username: str, group: str, staff: bool) -> str:
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
    user.groups.add(Group.objects.get(name=group))
    second_factor = _second_factor(user)
    if not created:
        return _("%(user)s exists, password unchanged") % {"user": username} + second_factor
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    # The demo administrator is the one account that can grant roles, so it is a superuser.
    user.is_superuser = username == ADMIN
    user.set_password(password)
    user.save()
    created = _("%(user)s created with the password %(password)s") % {"user": username, "password": password}
    return created + second_factor


def _second_factor(user) -> str:
    """Give ``user`` a TOTP device and recovery codes if it has none; say how to pass them."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=twofactor.TOTP_NAME, confirmed=True)
    if not StaticToken.objects.filter(device__user=user, device__confirmed=True).exists():
        twofactor.new_recovery_codes(user)
    codes = StaticToken.objects.filter(device__user=user, device__confirmed=True).values_list(
        "token", flat=True
    )
    return " " + _("(second factor: TOTP secret %(secret)s, code now %(code)s, recovery codes %(codes)s)") % {
        "secret": twofactor.base32_secret(device),
        "code": twofactor.current_code(device),
        "codes": " ".join(sorted(codes)),
    }


STEPS = [("accounts", create_accounts)]
