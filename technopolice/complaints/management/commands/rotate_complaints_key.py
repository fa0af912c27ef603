from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from technopolice.complaints import actions
from technopolice.lib.crypto import CryptoError


class Command(BaseCommand):
    help = (
        "Re-encrypt what the server keeps of signatories under its own keys (addresses it must "
        "still write to) with the first key of COMPLAINTS_KEYS. Put the new key first, keep the "
        "old ones after it, run this, then remove the old keys. Identities sealed to a campaign's "
        "key are not the server's to re-encrypt."
    )

    def handle(self, **options):
        total = actions.server_sealed().count()
        try:
            with tqdm(total=total, unit="signatory", disable=None) as progress:
                done = actions.rotate_keys(progress=progress)
        except CryptoError as error:
            raise CommandError(
                f"{error} Keep the old key in COMPLAINTS_KEYS until rotation is done."
            ) from None
        self.stdout.write(f"re-encrypted {done} signatories with the current key.")
