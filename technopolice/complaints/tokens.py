"""The tokens in the links sent to signatories: making them, and finding the signatory behind one.

Links sent by email are random or keyed tokens of which only a SHA-256 is stored: a copy of the
database gives no working link. The confirmation token is made when the task worker takes the
email to send (tasks.py), so it never sits in the task queue either. The verbs (actions.py) and
the sweep that sends the emails (tasks.py) both use this module, which uses neither.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils import timezone

from technopolice.lib import crypto

from .models import Signatory, SignatoryChange

LONGEST = 100  # a longer token is no token of ours: not even hashed


def withdraw_token(signatory: Signatory) -> str:
    """The withdrawal link's token: derived from a per-signatory secret, so every email carries
    the same working link while the database stores only its hash."""
    key = settings.COMPLAINTS_HASH_KEY.encode()
    return hmac.new(key, f"withdraw:{signatory.links_secret}".encode(), hashlib.sha256).hexdigest()


def _one_time() -> tuple[str, str, datetime.datetime]:
    """A random single-use token, the hash stored for it, and when it expires."""
    token = secrets.token_urlsafe(32)
    expires = timezone.now() + datetime.timedelta(hours=settings.COMPLAINTS_TOKEN_HOURS)
    return token, crypto.token_hash(token), expires


def new_confirm_token(signatory: Signatory) -> str:
    """A fresh single-use confirmation token, set on ``signatory`` for the caller to save: any
    earlier one stops working then."""
    token, signatory.confirm_token_hash, signatory.confirm_expires_at = _one_time()
    return token


def pending_by_token(token: str) -> Signatory | None:
    """The unconfirmed signatory a confirmation link points to, if it is still valid."""
    if not token or len(token) > LONGEST:
        return None
    return (
        Signatory.objects.select_related("campaign")
        .filter(confirm_token_hash=crypto.token_hash(token), confirm_expires_at__gt=timezone.now())
        .first()
    )


def by_withdraw_token(token: str) -> Signatory | None:
    """The signatory a withdrawal (or "not me") link, or their own page's link, points to."""
    if not token or len(token) > LONGEST:
        return None
    return (
        Signatory.objects.select_related("campaign", "mandate")
        .filter(withdraw_token_hash=crypto.token_hash(token))
        .first()
    )


def by_used_confirm_token(token: str) -> Signatory | None:
    """The signatory whose confirmation link this was, once spent: a second click is told the
    signature is already confirmed (and where their page is) rather than that the link is broken."""
    if not token or len(token) > LONGEST:
        return None
    return (
        Signatory.objects.select_related("campaign")
        .filter(used_confirm_token_hash=crypto.token_hash(token), confirmed_at__isnull=False)
        .first()
    )


def new_change_token(change: SignatoryChange) -> str:
    """A fresh single-use token confirming ``change``, set on it for the caller to save; made,
    like the confirmation token, when the worker takes the email (tasks._claim)."""
    token, change.token_hash, change.expires_at = _one_time()
    return token


def change_by_token(token: str) -> SignatoryChange | None:
    """The pending change a change-confirmation link points to, if it is still valid."""
    if not token or len(token) > LONGEST:
        return None
    return (
        SignatoryChange.objects.select_related("signatory__campaign", "mandate")
        .filter(token_hash=crypto.token_hash(token), expires_at__gt=timezone.now())
        .first()
    )
