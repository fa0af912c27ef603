"""Closing one's own account: personal data goes, contributions stay under an anonymous name.

Proposals, decisions, revisions, provenance and exports point at the account (some with
PROTECT: who exported signatories must stay answerable). So the row is kept and emptied
rather than deleted: a new random name that says nothing of the old one, no email, no
password, no role, no second factor, inactive (no session of it works any more). The admin's
history of changes to the account is renamed too. SQLite overwrites what it frees
(secure_delete, settings.py), so the old name and address do not linger in the file.

Apps that keep personal links to the account (a collective's memberships) receive
``account_closing`` in the same transaction and remove them: accounts knows none of them.
"""

import secrets

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal

from .twofactor import remove_second_factor

PREFIX = "deleted-"
# Sent with ``user`` before the account is emptied, inside anonymise()'s transaction.
account_closing = Signal()


def anonymous_name() -> str:
    return PREFIX + secrets.token_hex(6)


@transaction.atomic
def anonymise(user) -> str:
    """Empty ``user`` of everything personal; returns the anonymous name its contributions keep."""
    account_closing.send(sender=type(user), user=user)
    name = anonymous_name()
    user.username = name
    user.email = user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    remove_second_factor(user)
    content_type = ContentType.objects.get_for_model(user)
    LogEntry.objects.filter(content_type=content_type, object_id=str(user.pk)).update(object_repr=name)
    return name
