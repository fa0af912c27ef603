"""The demo's accounts: a moderator and an administrator, with one password printed at creation.

The demo loader (technopolice.demo) runs ``STEPS``; other apps' steps name these accounts
(the registry's example dossiers are published by the moderator).
"""

import os
import secrets

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _

from .roles import ADMINISTRATORS, MODERATORS

MODERATOR, ADMIN = "moderatrice", "admin"


def create_accounts() -> str:
    """A moderator and an administrator; a password is printed only when its account is created."""
    moderator = _account(MODERATOR, MODERATORS, staff=False)
    return f"{moderator}; {_account(ADMIN, ADMINISTRATORS, staff=True)}"


def _account(username: str, group: str, staff: bool) -> str:
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
    user.groups.add(Group.objects.get(name=group))
    if not created:
        return _("%(user)s exists, password unchanged") % {"user": username}
    password = os.environ.get("DEMO_PASSWORD") or secrets.token_urlsafe(12)
    # The demo administrator is the one account that can grant roles, so it is a superuser.
    user.is_superuser = username == ADMIN
    user.set_password(password)
    user.save()
    return _("%(user)s created with the password %(password)s") % {"user": username, "password": password}


STEPS = [("accounts", create_accounts)]
