"""A sign-up journey through the real views, used where a test needs data committed to a
real database file (run as ``python -m technopolice.complaints.tests.scenario`` with its own
DATA_DIR) or committed in the test database (TransactionTestCase)."""

import re
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.test import Client

FIRST, LAST, EMAIL, STREET = (
    "Zéphyrine",
    "Quillebeuf",
    "zephyrine.quillebeuf@example.net",
    "7 impasse Verlaine",
)


def journey(outbox_text) -> None:
    """Sign (with an address), let the worker send the email, confirm through its link."""
    from technopolice.complaints import tasks

    from .factories import CampaignFactory, sign_data

    # A fresh database: a wake-up this process queued in an earlier test's is gone with it.
    tasks.forget_wake_ups()

    campaign = CampaignFactory(slug="at-rest")
    campaign.location_required = "address"
    campaign.save()
    client = Client(HTTP_HOST="localhost")  # outside the test runner, ALLOWED_HOSTS applies
    data = sign_data(campaign, first_name=FIRST, last_name=LAST, email=EMAIL)
    data.update(street=STREET, postal_code="42000", commune="Saint-Étienne")
    assert client.post(f"/en/plaintes/{campaign.slug}/", data).status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    path = re.search(r"https?://[^/\s]+(\S*/confirmer/\S+/)", outbox_text()).group(1)
    assert client.post(path).status_code == 200


if __name__ == "__main__":
    import django
    from django.test import override_settings

    django.setup()
    call_command("migrate", verbosity=0)
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
        journey(lambda: mail.outbox[-1].body)
