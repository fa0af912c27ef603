"""Make a campaign's key pair on the organiser's machine: the private key goes to a file that
only the organiser keeps (offline), the public key is printed to paste into the campaign. The
platform never sees the private key, so this command needs no database."""

import os
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from technopolice.lib import sealing
from technopolice.lib.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Make a campaign's key pair: write the private key to FILE (readable by you only) and print "
        "the public key to paste into the campaign. Keep two offline copies of FILE: without it "
        "nobody can read who signed."
    )
    requires_system_checks = []  # runs on the organiser's machine, without the platform's database

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Where to write the private key file.")
        parser.add_argument("--label", default="", help="What the key is for (written as a comment).")
        parser.add_argument("--force", action="store_true", help="Overwrite FILE if it exists.")

    def handle(self, output, label, force, **options):
        path = Path(output)
        private_key, public_key = sealing.generate_keypair()
        write_private(path, sealing.key_file_text(private_key, public_key, label).encode("utf-8"), force)
        written = _("Private key written to %(path)s (keep it offline, in two places).")
        self.stdout.write(written % {"path": path})
        self.stdout.write(_("Public key, to paste into the campaign:"))
        self.stdout.write(public_key)


def write_private(path: Path, content: bytes, force: bool) -> None:
    """Created readable by its owner only (0600) from the first byte: never briefly world-readable."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise CommandError(
            _("%(path)s exists: it may be the key of a campaign. Choose another file, or add --force.")
            % {"path": path}
        ) from None
    except OSError as error:
        message = _("Cannot write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        raise CommandError(message) from None
    with os.fdopen(fd, "wb") as file:
        os.fchmod(file.fileno(), 0o600)  # an overwritten file keeps no looser mode
        file.write(content)
