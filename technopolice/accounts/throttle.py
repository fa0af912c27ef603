"""Failed logins slow the guesser down without locking the account's owner out.

Only failed attempts count, in three counters (lib/ratelimit.py, one-hour windows):

- per visitor (the daily-rotating hash of their address): one machine cannot try many passwords,
  on one account or on many;
- per account, for failures from browsers that never logged into it: many machines together
  cannot try many passwords on one account;
- per account, for failures from browsers that did ("known devices"), with the visitor's limit:
  the owner, typing a wrong password at home, is counted apart from the attacker.

A browser becomes known to an account by logging into it: it then keeps a cookie with a token
derived from the account and its password (an HMAC under SECRET_KEY: unforgeable, and forgotten
by a password change). So the owner on a known browser still gets in while the account is under
attack from elsewhere, as OWASP's "device cookies" and django-axes suggest; a new browser waits
for the window to pass, and the page says how long.

An attempt is counted before the password is checked and given back when it succeeds, so that
many guesses sent at once cannot slip past a counter that has not been updated yet.
"""

import functools
import math
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from technopolice.lib import ratelimit

WINDOW = 3600
DEVICE_SALT = "technopolice.accounts.known-device"
DEVICE_MAX_AGE = 365 * 24 * 3600
# Accounts one browser is remembered for (a shared computer, a moderator with two accounts).
DEVICES_KEPT = 5
TOKEN = re.compile(r"[0-9a-f]{32}")


def visitor_limit() -> int:
    return getattr(settings, "RATELIMIT_LOGIN_FAILURES_PER_HOUR", 20)


def account_limit() -> int:
    return getattr(settings, "RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR", 20)


def device_cookie_name() -> str:
    # Over HTTPS, the __Host- prefix makes the browser refuse it from a sub-domain or over HTTP.
    return "__Host-known-device" if settings.SESSION_COOKIE_SECURE else "known-device"


def device_token(user) -> str:
    """What a browser that logged into ``user`` keeps; changes with the password."""
    value = f"{user.pk}:{user.get_session_auth_hash()}"
    return salted_hmac(DEVICE_SALT, value, algorithm="sha256").hexdigest()[:32]


def _tokens(request) -> list[str]:
    raw = request.COOKIES.get(device_cookie_name(), "")
    return [token for token in raw.split(".") if TOKEN.fullmatch(token)][:DEVICES_KEPT]


def _known_token(request, username: str) -> str:
    """The token of the account named ``username`` if this browser logged into it before, else ''."""
    tokens = set(_tokens(request))
    if not tokens or not username:
        return ""
    user_model = get_user_model()
    accounts = user_model._default_manager.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username})
    for user in accounts:
        token = device_token(user)
        if token in tokens:
            return token
    return ""


def remember_device(request, response, user) -> None:
    token = device_token(user)
    tokens = [token, *(t for t in _tokens(request) if t != token)][:DEVICES_KEPT]
    response.set_cookie(
        device_cookie_name(),
        ".".join(tokens),
        max_age=DEVICE_MAX_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def refused(request, message: str, window: int = WINDOW):
    """The page refusing an attempt over a limit, saying when to retry (and Retry-After)."""
    seconds = ratelimit.seconds_left(window)
    minutes = max(1, math.ceil(seconds / 60))
    retry = ngettext(
        "You may try again in %(minutes)d minute.", "You may try again in %(minutes)d minutes.", minutes
    ) % {"minutes": minutes}
    context = {"message": message, "retry": retry}
    response = render(request, "accounts/login_throttled.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _take(request, username: str) -> tuple[list[str], str]:
    """Count this attempt as a failure until it succeeds: the counters taken, or why it is refused."""
    known = _known_token(request, username)
    if known:
        slot = ratelimit.take("login-known", known, visitor_limit(), WINDOW)
        if slot is None:
            return [], _("Too many failed logins from this browser.")
        return [slot], ""
    visitor = ratelimit.take("login", ratelimit.visitor_key(request), visitor_limit(), WINDOW)
    if visitor is None:
        return [], _("Too many failed logins from your connection.")
    account = ratelimit.take("login-account", ratelimit.subject_key(username), account_limit(), WINDOW)
    if account is None:
        ratelimit.give_back(visitor)
        return [], _(
            "Too many failed logins on this account from browsers that never logged into it. "
            "A browser you have logged in with before is not held back."
        )
    return [visitor, account], ""


def throttled(view):
    """A login view (the site's, the admin's) whose failed attempts are counted and limited."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        username = request.POST.get("username", "")[:150].lower()
        slots, refusal = _take(request, username)
        if refusal:
            return refused(request, refusal)
        response = view(request, *args, **kwargs)
        logged_in = response.status_code in (301, 302, 303) and request.user.is_authenticated
        tried = bool(username and request.POST.get("password"))
        if logged_in or not tried:
            for slot in slots:
                ratelimit.give_back(slot)
        if logged_in:
            remember_device(request, response, request.user)
        return response

    return wrapper
