"""The platform's inbound mail: one entry point (``receive_email``) for every address the site answers.

The mail server pipes each message for a plus-address (``relay+<token>@…``) to the command; the
part before the "+" names a mailbox that a domain app registered in its ``AppConfig.ready()``
(``register_mailbox("relay", handler)``), the part after it is the handler's business. This app
knows no domain: it finds the recipient, dispatches, and keeps what nobody accepted.

A message is never dropped: one no handler accepts, one a handler refuses (``Hold``), or one that
cannot be read is kept as a ``HeldMessage`` for moderators to read and discard.
"""

import email
import email.policy
import logging
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import getaddresses

from django.db import DatabaseError, InterfaceError, OperationalError
from django.utils.html import strip_tags

from .models import HeldMessage

logger = logging.getLogger(__name__)

Handler = Callable[[str, EmailMessage], None]
_mailboxes: dict[str, Handler] = {}

# Headers that name the recipient, most trustworthy first: the envelope's own copies, then what
# the sender wrote.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")
REASON_LENGTH = 200


class Hold(Exception):
    """Raised by a handler that will not take a message: it is kept, with this reason, for moderators."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def register_mailbox(prefix: str, handler: Handler) -> None:
    """Messages to ``<prefix>+<rest>@…`` go to ``handler(rest, message)``; it raises Hold to refuse one."""
    if "+" in prefix or not prefix:
        raise ValueError(f"A mailbox prefix is a local part without '+': {prefix!r}")
    _mailboxes[prefix.lower()] = handler


def registered_mailboxes() -> list[str]:
    return sorted(_mailboxes)


def split_address(address: str) -> tuple[str, str] | None:
    """(prefix, rest) of a plus-address whose prefix is registered, else None."""
    local = address.strip().strip("<>").rpartition("@")[0]
    prefix, plus, rest = local.partition("+")
    if not plus or not rest or prefix.lower() not in _mailboxes:
        return None
    return prefix.lower(), rest


def find_recipient(message: EmailMessage, envelope_recipient: str = "") -> str:
    """The address this message was delivered to: the envelope's when the mail server gave it,
    else the first address in the recipient headers that a mailbox is registered for."""
    if envelope_recipient:
        return envelope_recipient
    for header in RECIPIENT_HEADERS:
        for _name, address in getaddresses([str(value) for value in message.get_all(header, [])]):
            if split_address(address):
                return address
    return ""


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def receive(raw: bytes, envelope_recipient: str = "") -> HeldMessage | None:
    """Hand ``raw`` to its mailbox's handler; None when handled, else the HeldMessage that keeps it.
    Database errors propagate: the caller asks the mail server to retry later."""
    recipient = envelope_recipient
    try:
        message = parse(raw)
        recipient = find_recipient(message, envelope_recipient)
        target = split_address(recipient)
        if target is None:
            return hold(raw, recipient, "no mailbox for this address")
        prefix, rest = target
        _mailboxes[prefix](rest, message)
    except Hold as refused:
        return hold(raw, recipient, refused.reason)
    except (OperationalError, InterfaceError):
        raise
    except (DatabaseError, ValueError, LookupError, TypeError, AttributeError, UnicodeError) as error:
        # A message the parser or a handler chokes on is kept for a person to read, not bounced.
        logger.exception("Inbound message could not be handled")
        return hold(raw, recipient, f"could not be read: {type(error).__name__}")
    return None


def hold(raw: bytes, recipient: str, reason: str) -> HeldMessage:
    return HeldMessage.objects.create(raw=raw, recipient=recipient[:254], reason=reason[:REASON_LENGTH])


def is_automatic(message: EmailMessage) -> bool:
    """An out-of-office answer, a bounce or a robot's mail (RFC 3834 and the headers autoresponders
    use): relaying one would start a loop between two autoresponders."""
    submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if submitted and submitted != "no":
        return True
    if str(message.get("Precedence", "")).strip().lower() in {"bulk", "junk", "auto_reply"}:
        return True
    return any(message.get(header) for header in ("X-Autoreply", "X-Autorespond"))


def text_body(message: EmailMessage) -> str:
    """The message's text: its text/plain part, else its HTML part stripped of tags, else ""."""
    part = message.get_body(("plain",))
    if part is not None:
        return _content(part)
    part = message.get_body(("html",))
    if part is None:
        return ""
    return strip_tags(_content(part))


def _content(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset: read what can be read
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")
