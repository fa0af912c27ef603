"""The relay's emails: one address per conversation stands in for both sides.

A message to the organisers comes from "<visitor's name> via Technopolice <relay+token@…>", one
to the visitor from "<collective> via Technopolice <relay+token@…>"; both answer to the relay
address. The visitor's address is unsealed, and the organisers' read from their accounts, only
to fill the envelope and the To header of the email that goes to that person: the other side's
address appears nowhere in what anyone receives.
"""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation

from technopolice.lib.mail import render_text

from .models import Conversation, Direction, MembershipStatus, RelayMessage, Role

BRAND = "Technopolice"


def relay_address(conversation: Conversation) -> str:
    return f"relay+{conversation.token}@{settings.RELAY_DOMAIN}"


def organiser_emails(collective) -> list[str]:
    """The addresses of the collective's active organisers, read now from their accounts."""
    organisers = collective.memberships.filter(
        role=Role.ORGANISER, status=MembershipStatus.ACTIVE, user__is_active=True
    ).exclude(user__email="")
    return sorted({email.strip().lower() for email in organisers.values_list("user__email", flat=True)})


def build_emails(message: RelayMessage) -> list[EmailMessage]:
    """The emails that carry ``message``: one per organiser (none sees another's address), or one
    to the visitor."""
    conversation = message.conversation
    if message.direction == Direction.TO_ORGANISERS:
        sender = conversation.visitor_name
        recipients = organiser_emails(conversation.collective)
        language = settings.LANGUAGE_CODE
    else:
        sender = conversation.collective.name
        recipients = [conversation.visitor_email]
        language = conversation.language
    with translation.override(language):
        subject, body = _render(message)
    address = relay_address(conversation)
    from_header = formataddr((f"{_one_line(sender)} via {BRAND}", address))
    return [
        EmailMessage(subject, body, from_header, [recipient], reply_to=[address]) for recipient in recipients
    ]


def _render(message: RelayMessage) -> tuple[str, str]:
    conversation = message.conversation
    context = {
        "conversation": conversation,
        "collective": conversation.collective,
        "message": message,
        "reply": message.pk != conversation.messages.values_list("pk", flat=True).first(),
    }
    template = f"collectives/emails/relay_{message.direction}"
    subject = render_text(f"{template}_subject.txt", context)
    return _one_line(subject), render_text(f"{template}.txt", context)


def _one_line(text: str) -> str:
    return " ".join(text.split())
