"""The account's emails: an address is kept only once its owner followed the link sent there.

The address being confirmed is not stored anywhere: it travels in the signed link itself
(django.core.signing, under SECRET_KEY, ACCOUNTS_EMAIL_TOKEN_HOURS), with the address the
account had when the link was sent, so the link works once: after the change it no longer
matches. ``user.email`` therefore only ever holds a confirmed address.

Messages are plain text rendered without HTML escaping (lib/mail.py) and sent in the language
of the page that asked for them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse

from technopolice.lib import mail

SALT = "technopolice.accounts.confirm-email"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirmation_token(user, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email, "o": user.email or ""}, salt=SALT, compress=True)


def read_confirmation(token: str):
    """The account and the address a link confirms, or (None, '') if it is forged, expired or used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.ACCOUNTS_EMAIL_TOKEN_HOURS * 3600)
    except signing.BadSignature:
        return None, ""
    user = get_user_model()._default_manager.filter(pk=data.get("u"), is_active=True).first()
    if user is None or (user.email or "") != data.get("o"):
        return None, ""
    return user, data.get("e", "")


def send_confirmation(user, email: str) -> None:
    link = _absolute(reverse("accounts:email_confirm", args=[confirmation_token(user, email)]))
    context = {"username": user.get_username(), "link": link, "hours": settings.ACCOUNTS_EMAIL_TOKEN_HOURS}
    mail.send(mail.build("accounts/emails/confirm_email", context, [email]))


def send_notice(user, address: str, template: str) -> None:
    """Tell an address something happened to its account (a new address, a new password)."""
    if address:
        context = {"username": user.get_username(), "site": settings.SITE_URL}
        mail.send(mail.build(f"accounts/emails/{template}", context, [address]))
