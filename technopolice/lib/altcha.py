"""ALTCHA proof of work: an anti-spam challenge we issue and verify ourselves, no third party.

The challenge is embedded in the form page (no extra request); the visitor's browser
solves it with the widget we serve from static/vendor/altcha. A solved payload is
accepted once: its signature is remembered in the cache until the challenge expires,
so a robot cannot solve one challenge and replay it for a thousand proposals.
"""

import datetime as dt
import functools
import json

import altcha
from django.conf import settings
from django.core.cache import cache

ALGORITHM = "PBKDF2/SHA-256"
# PBKDF2 iterations per attempt; with the default key prefix "00" a browser needs about
# 256 attempts: under a second on a phone, but a real cost for a spammer sending thousands.
COST = 2000
LIFETIME = dt.timedelta(minutes=30)


def _secret() -> str:
    return settings.ALTCHA_HMAC_KEY


def new_challenge() -> str:
    """A fresh signed challenge, as the JSON the widget's ``challenge`` attribute accepts."""
    expires = dt.datetime.now(dt.UTC) + LIFETIME
    challenge = altcha.create_challenge(
        ALGORITHM, getattr(settings, "ALTCHA_COST", COST), expires_at=expires, hmac_secret=_secret()
    )
    return json.dumps(challenge.to_dict())


def verify(payload: str) -> bool:
    """True for a correct solution of a challenge we signed, not expired and never used before."""
    if not payload or len(payload) > 4000:
        return False
    try:
        result = altcha.verify_solution(payload, _secret())
    except (ValueError, TypeError, KeyError):
        return False
    if not result.verified:
        return False
    return _first_use(payload)


def _first_use(payload: str) -> bool:
    # The challenge signature is unique per challenge; add() is atomic, so two
    # simultaneous replays cannot both pass.
    signature = altcha.Payload.from_base64(payload).challenge.signature
    return cache.add(f"altcha-used:{signature}", 1, timeout=int(LIFETIME.total_seconds()) + 60)


class SpamTraps:
    """For a public form (a mixin before forms.Form) whose page carries the two spam traps: a
    honeypot field named ``website``, hidden from people, and the ALTCHA widget."""

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def proof_of_work_challenge(self) -> str:
        """A fresh ALTCHA challenge for the page that shows this form (its widget solves it)."""
        return new_challenge()

    @functools.cached_property
    def proved(self) -> bool:
        """Whether the post carries a solved proof of work never used before.

        Read once per post, and only once the form is valid: reading spends the solution, and a
        form sent back for correction gets a fresh challenge anyway. The payload is not a form
        field: the widget writes its own hidden input, and a field would be written twice.
        """
        return verify(self.data.get("altcha", ""))
