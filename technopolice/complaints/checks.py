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
