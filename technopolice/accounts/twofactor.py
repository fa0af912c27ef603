"""The second factor: who needs one, the devices (django-otp), and throttled verification.

A person's second factor is a TOTP device (an authenticator app, django-otp's otp_totp) and
a set of single-use recovery codes (otp_static), made together when the TOTP is confirmed.
A session is "verified" once a code from one of them was accepted (``django_otp.login``);
SecondFactorMiddleware keeps an unverified session of someone who needs a second factor on
the pages that set it up or check it.

Who needs one: moderators and administrators always (they decide what is published and reach
the admin); anyone else once they turned it on. Codes are limited per visitor and per account
(lib/ratelimit.py, no address stored), on top of django-otp's growing delay per device.
"""

import base64
import math

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from technopolice.lib import ratelimit

from .roles import ADMINISTRATORS, MODERATORS
from .throttle import refused

WINDOW = 3600
RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def failure_limit() -> int:
    return settings.RATELIMIT_SECOND_FACTOR_FAILURES_PER_HOUR


def is_staff_member(user) -> bool:
    """Moderators and administrators: a second factor is required before anything else."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name__in=[MODERATORS, ADMINISTRATORS]).exists()


def has_second_factor(user) -> bool:
    return user.is_authenticated and any(True for _device in devices_for_user(user, confirmed=True))


def pending_totp(user) -> TOTPDevice:
    """The TOTP device being set up (not yet confirmed): the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app with this secret shows now (for the demo and the tests)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG: drawn here, nothing fetched by the browser."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code of the secret"))


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the account's recovery codes by fresh ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def confirm_totp(request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the device being set up with its first code: the fresh recovery codes, or None."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if not device.verify_token(_clean(token)):
        return None
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    otp_login(request, device)
    return new_recovery_codes(device.user)


def remove_second_factor(user) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()


def _clean(token: str) -> str:
    return "".join(token.split())[:64]


def seconds_locked(user, token: str) -> int:
    """How long django-otp still refuses every code of ``user``'s authenticator app after wrong ones
    in a row (its own doubling delay), when ``token`` looks like that app's code: 0 when it may be
    tried now. Told to the person, who would otherwise read "not valid" for the right code.
    Recovery codes live on another device, with its own delay."""
    if not _clean(token).isdigit():
        return 0
    now = timezone.now()
    waits = [
        (data["locked_until"] - now).total_seconds()
        for device in TOTPDevice.objects.filter(user=user, confirmed=True)
        for allowed, data in [device.verify_is_allowed()]
        if not allowed and data and data.get("locked_until")
    ]
    return max(0, math.ceil(max(waits, default=0)))


def verify(request, token: str):
    """Check ``token`` against the account's devices, counted against the limits.

    Returns ``(device, refusal)``: the device that accepted it (the session is then verified),
    or None with a response when the limits are reached (a page that says when to retry)."""
    user = request.user
    visitor = ratelimit.take("otp", ratelimit.visitor_key(request), failure_limit(), WINDOW)
    if visitor is None:
        return None, refused(request, _("Too many wrong codes from your connection."))
    account = ratelimit.take("otp-account", ratelimit.subject_key(f"user:{user.pk}"), failure_limit(), WINDOW)
    if account is None:
        ratelimit.give_back(visitor)
        return None, refused(request, _("Too many wrong codes for this account."))
    token = _clean(token)
    device = None
    if token:
        with transaction.atomic():
            for candidate in devices_for_user(user, confirmed=True, for_verify=True):
                if candidate.verify_token(token):
                    device = candidate
                    break
    if device is None:
        return None, None
    ratelimit.give_back(visitor)
    ratelimit.give_back(account)
    otp_login(request, device)
    request.session.cycle_key()
    return device, None
