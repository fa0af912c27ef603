"""Rate limits on public forms that never store an IP address.

A visitor is told apart by a keyed hash of their address, salted with a value derived
from the secret key and the current day: the counter lives in the cache for one window
only, the address itself is never written anywhere, and yesterday's hashes cannot be
linked to today's. Other subjects (an email address asking for a confirmation link, say)
go through the same counters with their own scope.
"""

import datetime
import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def _daily_salt() -> bytes:
    day = datetime.datetime.now(datetime.UTC).date().isoformat()
    return hmac.new(settings.SECRET_KEY.encode(), f"ratelimit:{day}".encode(), hashlib.sha256).digest()


def subject_key(subject: str) -> str:
    """An opaque, daily-rotating key for any subject (an address, an email)."""
    return hmac.new(_daily_salt(), subject.encode(), hashlib.sha256).hexdigest()[:32]


def visitor_key(request) -> str:
    """The visitor's opaque key. Behind a proxy, set RATELIMIT_CLIENT_HEADER to the header it fills."""
    header = getattr(settings, "RATELIMIT_CLIENT_HEADER", "")
    address = request.META.get(header, "") if header else ""
    address = address.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")
    return subject_key(address)


def allow(scope: str, key: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt of ``key`` in ``scope``; False once ``limit`` attempts fall in the window."""
    slot = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{slot}"
    # add() is atomic: the first attempt creates the counter, later ones increment it.
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return limit >= 1


def allow_visitor(request, scope: str, limit: int, window: int = 3600) -> bool:
    return allow(scope, visitor_key(request), limit, window)
