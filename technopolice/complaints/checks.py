"""System checks: a wrong key must stop the site at start-up, not at the first signature."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def check_keys(app_configs=None, **kwargs) -> list:
    errors = []
    for position, key in enumerate(settings.COMPLAINTS_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError:
            errors.append(
                checks.Error(
                    f"COMPLAINTS_KEYS: key number {position} is not a Fernet key.",
                    hint='Make one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id="complaints.E001",
                )
            )
    if not settings.COMPLAINTS_KEYS:
        errors.append(checks.Error("COMPLAINTS_KEYS is empty.", id="complaints.E002"))
    if len(settings.COMPLAINTS_HASH_KEY) < 32:
        errors.append(
            checks.Error(
                "COMPLAINTS_HASH_KEY is shorter than 32 characters.",
                hint="Use a long random value, and never change it while signatories exist.",
                id="complaints.E003",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_keys_open_stored_data(app_configs=None, **kwargs) -> list:
    """Keys that are valid but not the ones the data was sealed with (a restore with a new
    environment file): the export would fail on the first name, and every returning signatory
    would look new. Tried on the latest signatory whose email the server still keeps (one owed
    an email, or who asked for the campaign's news), which any key still in use must open. The
    identities themselves are sealed to each campaign's key, which the server never holds."""
    from django.db import DatabaseError

    from technopolice.lib import crypto

    from .actions import email_index
    from .models import Signatory

    try:
        latest = (
            Signatory.objects.exclude(email_sealed="")
            .only("email_sealed", "email_index")
            .order_by("-pk")
            .first()
        )
    except DatabaseError:  # not migrated yet: nothing sealed to open
        return []
    if latest is None:
        return []
    try:
        email = crypto.unseal(latest.email_sealed)
    except (crypto.CryptoError, ValueError):
        return [
            checks.Error(
                "COMPLAINTS_KEYS do not open the signatories' emails stored in the database: the "
                "emails owed to them and the campaigns' news would fail.",
                hint="Restore the keys kept with the backup (docs/production.md, Backups); "
                "new keys cannot open data sealed with the old ones.",
                id="complaints.E004",
            )
        ]
    if email_index(email) != latest.email_index:
        return [
            checks.Error(
                "COMPLAINTS_HASH_KEY is not the key the stored signatories were indexed with: "
                "a person who signed already would be able to sign again.",
                hint="Restore the COMPLAINTS_HASH_KEY kept with the backup; it is never rotated.",
                id="complaints.E005",
            )
        ]
    return []
