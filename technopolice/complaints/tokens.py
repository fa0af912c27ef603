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

from .models import Signatory

LONGEST = 100  # a longer token is no token of ours: not even hashed


def withdraw_token(signatory: Signatory) -> str:
    """The withdrawal link's token: derived from a per-signatory secret, so every email carries
    the same working link while the database stores only its hash."""
    key = settings.COMPLAINTS_HASH_KEY.encode()
    return hmac.new(key, f"withdraw:{signatory.links_secret}".encode(), hashlib.sha256).hexdigest()


def new_confirm_token(signatory: Signatory) -> str:
    """A fresh single-use confirmation token, set on ``signatory`` for the caller to save: any
    earlier one stops working then."""
    token = secrets.token_urlsafe(32)
    signatory.confirm_token_hash = crypto.token_hash(token)
    signatory.confirm_expires_at = timezone.now() + datetime.timedelta(hours=settings.COMPLAINTS_TOKEN_HOURS)
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
    """The signatory a withdrawal (or "not me") link points to."""
    if not token or len(token) > LONGEST:
        return None
    return (
        Signatory.objects.select_related("campaign")
        .filter(withdraw_token_hash=crypto.token_hash(token))
        .first()
    )
