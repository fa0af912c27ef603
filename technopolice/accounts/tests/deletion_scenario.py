"""An account with everything personal an account can hold (name, email, password, a second
factor, the admin's history of it), closed by its owner through the real pages. Run as
``python -m technopolice.accounts.tests.deletion_scenario`` with its own DATA_DIR, or in a
TransactionTestCase, so that its data is committed to a real database."""

from django.test import Client

USERNAME, EMAIL = "zephyrine-quillebeuf", "zephyrine.quillebeuf@example.net"
PASSWORD = "correct horse battery staple"


def journey() -> dict:
    """Create the account, use it, close it; what a search of the database must not find."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    from technopolice.accounts import twofactor
    from technopolice.testing.cases import login_verified, totp_device

    user = User.objects.create_user(USERNAME, EMAIL, PASSWORD, first_name="Zéphyrine", last_name="Quillebeuf")
    device = totp_device(user)
    codes = twofactor.new_recovery_codes(user)
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=ADDITION,
    )
    client = login_verified(Client(HTTP_HOST="localhost"), user)  # outside the runner, ALLOWED_HOSTS applies
    response = client.post("/en/comptes/compte/supprimer/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200, response.status_code
    user.refresh_from_db()
    assert user.username.startswith("deleted-") and not user.email, user.username
    secret = twofactor.base32_secret(device)
    return {
        "needles": [USERNAME, EMAIL, "Zéphyrine", "Quillebeuf", device.key, secret, *codes],
        "pk": user.pk,
    }


if __name__ == "__main__":
    import json
    import sys

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    json.dump(journey(), sys.stdout)
