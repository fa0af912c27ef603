"""Emails to signatories, sent by the task worker (`technopolice db_worker`).

Task arguments hold only a signatory's id and the kind of message: the address is
unsealed at send time. When the mail server fails, the task schedules its own retry
with a doubling delay (django.tasks has no retry of its own); after the last attempt it
fails loudly and stays in the task table for staff to see, so nothing is silently lost.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from technopolice.lib import mail

from . import actions
from .models import Signatory

logger = logging.getLogger(__name__)

KINDS = {"confirm", "already"}


def backoff(attempt: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 hours."""
    seconds = settings.COMPLAINTS_MAIL_BACKOFF_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def _link(name: str, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[token])


def build_message(signatory: Signatory, kind: str):
    context = {
        "campaign": signatory.campaign,
        "first_name": signatory.first_name,
        "withdraw_url": _link("complaints:withdraw", actions.withdraw_token(signatory)),
        "not_me_url": _link("complaints:not_me", actions.withdraw_token(signatory)),
        "hours": settings.COMPLAINTS_TOKEN_HOURS,
    }
    if kind == "confirm":
        context["confirm_url"] = _link("complaints:confirm", actions.issue_confirm_token(signatory))
    return mail.build(f"complaints/emails/{kind}", context, [signatory.email])


@task
def send_signatory_email(signatory_id: int, kind: str, attempt: int = 1) -> str:
    signatory = Signatory.objects.select_related("campaign").filter(pk=signatory_id).first()
    if signatory is None or kind not in KINDS:
        return "gone"  # withdrawn or "not me" before the mail left: nothing to send
    if kind == "confirm" and signatory.confirmed_at:
        return "confirmed"
    with translation.override(signatory.language):
        message = build_message(signatory, kind)
    try:
        mail.send(message)
    except (OSError, smtplib.SMTPException) as error:
        return _retry(signatory_id, kind, attempt, error)
    return "sent"


def _retry(signatory_id: int, kind: str, attempt: int, error: Exception) -> str:
    if attempt >= settings.COMPLAINTS_MAIL_ATTEMPTS:
        raise RuntimeError(f"Email {kind} to signatory {signatory_id} failed {attempt} times") from error
    run_after = timezone.now() + backoff(attempt)
    send_signatory_email.using(run_after=run_after).enqueue(signatory_id, kind, attempt + 1)
    # The error names the server, never the recipient.
    logger.warning(
        "Email %s to signatory %s failed (%s), retry %s at %s",
        kind,
        signatory_id,
        type(error).__name__,
        attempt + 1,
        run_after,
    )
    return "retry"
