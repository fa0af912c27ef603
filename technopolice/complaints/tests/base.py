"""What every complaints test shares: emails sent inline (immediate tasks) into mail.outbox,
fresh rate-limit and counter caches, and a way to read the links out of an email."""

import re

from django.core import mail
from django.core.cache import cache
from django.test import override_settings

from technopolice.complaints import actions
from technopolice.testing.cases import BaseTestCase

IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def links(message) -> dict:
    """{"confirm": path, "withdraw": path, "not_me": path} found in an email's text."""
    found = {}
    for name, marker in [("confirm", "/confirmer/"), ("withdraw", "/retirer/"), ("not_me", "/pas-moi/")]:
        match = re.search(rf"https?://[^/\s]+(\S*{marker}[^/\s]+/)", message.body)
        if match:
            found[name] = match.group(1)
    return found


@override_settings(TASKS=IMMEDIATE_TASKS, COMPLAINTS_COUNTER_SECONDS=60)
class ComplaintsTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        mail.outbox.clear()
        actions.forget_signings()
