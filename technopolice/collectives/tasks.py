"""The relay's outbox, sent by the task worker (`technopolice db_worker`).

A RelayMessage stays due (``due_at``) until the mail server took it. Writing one wakes the
sweep in the same transaction; the sweep claims each due message by moving its due time a lease
ahead (a worker dying mid-send leaves it to come due again, and a sweep is queued for then),
sends it, and clears it. A failing server puts it off with a doubling delay and queues a sweep
for then; after RELAY_MAIL_ATTEMPTS the sweep also fails loudly, staying in the task table for
staff to see, and the message is still retried. A message may be sent twice, never lost.
Volumes are small (people writing to collectives): one message at a time, one sweep per write.
"""

import datetime
import smtplib

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from technopolice.lib import mail

from .models import RelayMessage
from .relay_mail import build_emails

LEASE = datetime.timedelta(minutes=5)
BATCH = 200  # messages one sweep looks at; a sweep queued at its end takes the rest


def backoff(attempt: int) -> datetime.timedelta:
    """RELAY_MAIL_BACKOFF_SECONDS, twice that, four times... capped at 6 hours."""
    seconds = settings.RELAY_MAIL_BACKOFF_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def wake() -> None:
    """Make sure a sweep runs once the current transaction commits. With the database queue the
    task row commits (or rolls back) with the message; a backend that runs tasks at once would run
    it before the message is visible, so it is asked after the commit."""
    if send_relay_messages.get_backend().supports_defer:
        send_relay_messages.enqueue()
    else:
        transaction.on_commit(send_relay_messages.enqueue)


def _sweep_at(at: datetime.datetime) -> None:
    if send_relay_messages.get_backend().supports_defer:
        send_relay_messages.using(run_after=at).enqueue()


@task
def send_relay_messages() -> str:
    """Send every relayed message due; put off those the mail server did not take."""
    sent, put_off, given_up = 0, 0, []
    due = RelayMessage.objects.filter(due_at__lte=timezone.now()).order_by("due_at")
    for pk in list(due.values_list("pk", flat=True)[:BATCH]):
        message = _claim(pk)
        if message is None:
            continue
        try:
            for email in build_emails(message):
                mail.send(email)
        except (OSError, smtplib.SMTPException):
            put_off += 1
            if _put_off(message) >= settings.RELAY_MAIL_ATTEMPTS:
                given_up.append(message.pk)
            continue
        RelayMessage.objects.filter(pk=message.pk).update(due_at=None, sent_at=timezone.now())
        sent += 1
    if due.exists():  # more than one batch, or claimed by a sweep that died
        _sweep_at(timezone.now())
    if given_up:
        raise RuntimeError(f"Relayed messages {given_up} failed {settings.RELAY_MAIL_ATTEMPTS} times or more")
    return f"{sent} sent, {put_off} put off"


def _claim(pk: int) -> RelayMessage | None:
    """The message, its due time moved a lease ahead so no other sweep takes it meanwhile; None
    when another sweep got it first."""
    now = timezone.now()
    with transaction.atomic():
        claimed = RelayMessage.objects.filter(pk=pk, due_at__lte=now).select_for_update(
            skip_locked=True, of=("self",)
        )
        message = claimed.select_related("conversation__collective").first()
        if message is None:
            return None
        message.due_at = now + LEASE
        message.save(update_fields=["due_at"])
        _sweep_at(message.due_at)
    return message


def _put_off(message: RelayMessage) -> int:
    message.attempts += 1
    message.due_at = timezone.now() + backoff(message.attempts)
    message.save(update_fields=["attempts", "due_at"])
    _sweep_at(message.due_at)
    return message.attempts
