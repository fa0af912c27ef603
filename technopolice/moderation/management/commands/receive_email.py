"""Take one email from the mail server (a pipe transport) and hand it to the mailbox it is for."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError

from technopolice.moderation import inbound

EX_TEMPFAIL = 75  # sysexits.h: the mail server keeps the message and tries again later
MAX_BYTES = 25 * 1024 * 1024  # what is read of one message; the mail server's own limit is lower


class Command(BaseCommand):
    help = (
        "Read one RFC 822 email on standard input and hand it to the mailbox registered for its "
        "recipient (relay+<token>@… for the collectives' relay). A message no mailbox accepts, or "
        "that cannot be read, is kept for moderators at /moderation/courrier/. Exit status 0 when the "
        "message was handled or kept, 75 (EX_TEMPFAIL) when the database is unavailable, so the "
        "mail server retries."
    )

    # Run once per email by the mail server: no system checks (URLs, models) on each, and nothing
    # that touches the database before the message is read.
    requires_system_checks = []
    stealth_options = ("stdin",)  # call_command(..., stdin=BytesIO(raw)) in tests

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient",
            default="",
            help="The envelope recipient (Postfix pipe's ${recipient}); else read from the headers.",
        )

    def handle(self, *args, recipient: str, **options):
        raw = _read(options.get("stdin") or sys.stdin)
        try:
            held = inbound.receive(raw, recipient)
        except (OperationalError, InterfaceError) as error:
            raise CommandError(
                f"Database unavailable, try again later: {error}", returncode=EX_TEMPFAIL
            ) from error
        if held is None:
            self.stdout.write("handled")
        else:
            self.stdout.write(f"held #{held.pk}: {held.reason}")


def _read(stream) -> bytes:
    """The message's bytes as they came: binary streams as such, text streams re-encoded
    (undecodable bytes were kept as surrogates by Python's reader and come back unchanged)."""
    stream = getattr(stream, "buffer", stream)
    data = stream.read(MAX_BYTES)
    if isinstance(data, str):
        return data.encode("utf-8", errors="surrogateescape")
    return data
