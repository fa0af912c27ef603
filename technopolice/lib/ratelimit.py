"""Rate limits on public forms that never store an IP address.

A visitor is told apart by a keyed hash of their address, salted with a value derived
from the secret key and the current day: the counter lives in the cache for one window
only, the address itself is never written anywhere, and yesterday's hashes cannot be
linked to today's. Other subjects (an email address asking for a confirmation link, say)
go through the same counters with their own scope.

Behind reverse proxies the connecting address (REMOTE_ADDR) is the last proxy's, the same for
everybody. Each trusted proxy appends the address it saw to a header (X-Forwarded-For): the
visitor's own is the TRUSTED_PROXY_COUNT-th entry from the right. The entries left of it were
written by the visitor, who can put anything there, so they are never read.
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


def client_address(request) -> str:
    """The address of whoever sent the request, as the trusted proxies in front of us saw it.

    Without TRUSTED_PROXY_COUNT, the connecting address only: a header anyone can send is ignored.
    A request that passed through fewer proxies than declared (sent to the platform directly)
    has only its connecting address to trust.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    header = getattr(settings, "PROXY_CLIENT_HEADER", "X-Forwarded-For")
    meta_key = "HTTP_" + header.upper().replace("-", "_")
    entries = [entry.strip() for entry in request.META.get(meta_key, "").split(",")]
    if len(entries) < count or not entries[-count]:
        return remote
    return entries[-count]


def visitor_key(request) -> str:
    """The visitor's opaque key: a daily-rotating hash of ``client_address``."""
    return subject_key(client_address(request))


def _increment(scope: str, key: str, window: int) -> tuple[str, int]:
    """Count one attempt in the current window: its counter's cache key and the count so far."""
    slot = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{slot}"
    # add() is atomic: the first attempt creates the counter, later ones increment it.
    if cache.add(cache_key, 1, timeout=window):
        return cache_key, 1
    try:
        return cache_key, cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=window)
        return cache_key, 1


def allow(scope: str, key: str, limit: int, window: int = 3600) -> bool:
    """Count one attempt of ``key`` in ``scope``; False once ``limit`` attempts fall in the window."""
    return _increment(scope, key, window)[1] <= limit


def take(scope: str, key: str, limit: int, window: int = 3600) -> str | None:
    """Count one attempt that may be given back: the counter's cache key while within ``limit``,
    None once the limit is reached (then nothing is counted).

    For limits on failures only: take before trying, ``give_back`` when the try succeeded. Taking
    first keeps the limit exact when many attempts arrive at once.
    """
    cache_key, count = _increment(scope, key, window)
    if count <= limit:
        return cache_key
    give_back(cache_key)
    return None


def take_all(limits: list[tuple[str, str, int]]) -> tuple[list[str], int | None]:
    """Count one attempt against each (scope, key, limit): the counters' keys and None while all
    are within their limits; else nothing counted, and the index of the first limit reached."""
    taken = []
    for index, (scope, key, limit) in enumerate(limits):
        slot = take(scope, key, limit)
        if slot is None:
            for earlier in taken:
                give_back(earlier)
            return [], index
        taken.append(slot)
    return taken, None


def give_back(cache_key: str | None) -> None:
    """Uncount an attempt ``take`` counted (the login succeeded, no password was tried)."""
    if cache_key is None:
        return
    try:
        cache.decr(cache_key)
    except ValueError:  # the window ended meanwhile: its counter is gone with it
        pass


def seconds_left(window: int = 3600) -> int:
    """Seconds until the current window of a counter ends, when a refused attempt may try again."""
    return window - int(time.time()) % window


def allow_visitor(request, scope: str, limit: int, window: int = 3600) -> bool:
    return allow(scope, visitor_key(request), limit, window)
