"""What the relay tests share: a loopback SMTP server that keeps the raw bytes, the real task
worker, and a collective with an organiser."""

import email
import email.policy
from email.message import EmailMessage
from io import BytesIO, StringIO

from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from technopolice.collectives.models import RelayMessage
from technopolice.testing import smtp

from .factories import CollectiveFactory, add_organiser

VISITOR_EMAIL = "visiteuse.secrete@example.net"
ORGANISER_EMAIL = "organisatrice.secrete@example.org"


class RawInbox(smtp.Inbox):
    """The loopback server's inbox, also keeping each message's bytes and envelope recipients."""

    def __init__(self):
        super().__init__()
        self.raw: list[bytes] = []
        self.envelopes: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.raw.append(envelope.content)
        self.envelopes.append(list(envelope.rcpt_tos))
        return await super().handle_DATA(server, session, envelope)

    def to(self, address: str) -> list[int]:
        """Indexes of the messages whose envelope went to ``address``."""
        return [i for i, rcpts in enumerate(self.envelopes) if address in rcpts]


def start_smtp(port: int) -> tuple[Controller, RawInbox]:
    inbox = RawInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def work() -> None:
    """Run the real worker until the queue holds nothing runnable now."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


def time_passes() -> None:
    """Every put-off message and every deferred sweep comes due."""
    RelayMessage.objects.exclude(due_at=None).update(due_at=timezone.now())
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def collective_with_organiser(**kwargs):
    organiser = User.objects.create_user("olga", ORGANISER_EMAIL, "x" * 20)
    collective = CollectiveFactory(**kwargs)
    add_organiser(collective, organiser)
    return collective, organiser


def contact_data(**overrides) -> dict:
    data = {
        "name": "Véra L'Hôte",
        "email": VISITOR_EMAIL,
        "subject": "Caméras place de l'Église",
        "message": "Bonjour,\nnous voulons vous rejoindre.",
        "website": "",
    }
    return {**data, **overrides}


def reply(sender: str, to: str, body: str, subject: str = "Re: Caméras") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Someone <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def receive(raw: bytes, *args) -> str:
    out = StringIO()
    call_command("receive_email", *args, stdin=BytesIO(raw), stdout=out)
    return out.getvalue()


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)
