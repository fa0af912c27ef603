"""Writing to a collective, and the answers that come back through the relay.

A visitor's message starts a Conversation with its own relay address (relay_mail.py). The
organisers answer it from their mail client; the mail server pipes the answer to
``receive_email`` (moderation.inbound), which hands it to ``receive_reply`` here. The sender
decides the direction: an active organiser's address sends it to the visitor, the visitor's to
the organisers, any other is held for moderators, never relayed.
"""

from email.message import EmailMessage
from email.utils import parseaddr

from django.db import transaction
from django.utils import timezone

from technopolice.moderation.inbound import Hold, is_automatic, text_body

from . import tasks
from .models import Collective, Conversation, Direction, RelayMessage
from .relay_mail import organiser_emails

MAX_BODY = RelayMessage._meta.get_field("body").max_length


def accepts_messages(collective: Collective) -> bool:
    """Whether the form is open: listed, willing, and someone to read it."""
    return collective.is_listed and collective.accepts_messages and bool(organiser_emails(collective))


def write(
    collective: Collective, *, name: str, email: str, subject: str, body: str, language: str
) -> Conversation:
    """A visitor's first message: the conversation and its message, due now, in one transaction."""
    with transaction.atomic():
        conversation = Conversation(
            collective=collective, subject=subject, visitor_name=name, language=language
        )
        conversation.visitor_email = email
        conversation.save()
        _queue(conversation, Direction.TO_ORGANISERS, body)
    return conversation


def _queue(conversation: Conversation, direction: str, body: str) -> RelayMessage:
    message = RelayMessage.objects.create(
        conversation=conversation, direction=direction, body=body[:MAX_BODY], due_at=timezone.now()
    )
    tasks.wake()
    return message


def receive_reply(token: str, message: EmailMessage) -> None:
    """The ``relay`` mailbox: an email to relay+<token>@… goes on to the other side, or is held."""
    conversation = Conversation.objects.select_related("collective").filter(token=token.lower()).first()
    if conversation is None:
        raise Hold("unknown relay address")
    if is_automatic(message):
        raise Hold("automatic reply")
    direction = _direction(conversation, _sender(message))
    body = strip_quoted(text_body(message)).strip()
    if not body:
        raise Hold("empty message")
    with transaction.atomic():
        _queue(conversation, direction, body)
        conversation.save(update_fields=["last_message_at"])


def _sender(message: EmailMessage) -> str:
    # What the mail client wrote, else the envelope sender (Postfix's Return-Path). Either may be
    # forged: at worst a message reaches one of the conversation's own two sides.
    for header in ("From", "Return-Path"):
        address = parseaddr(str(message.get(header, "")))[1].strip().lower()
        if address:
            return address
    return ""


def _direction(conversation: Conversation, sender: str) -> str:
    if sender and sender in organiser_emails(conversation.collective):
        return Direction.TO_VISITOR
    if sender and sender == conversation.visitor_email.strip().lower():
        return Direction.TO_ORGANISERS
    raise Hold("unknown sender")


def strip_quoted(text: str) -> str:
    """The answer without the previous message its mail client quoted: lines starting with ">",
    and the "On …, … wrote:" line just above them."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    quoted = len(lines) < len(text.splitlines())
    kept = "\n".join(lines).rstrip()
    if quoted and kept.endswith(":"):
        kept = kept.rpartition("\n")[0].rstrip()
    return kept
