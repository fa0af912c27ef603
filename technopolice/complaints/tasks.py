"""Emails to signatories, sent by the task worker (`technopolice db_worker`).

The signatory row is the outbox. A sign-up (or a resend) marks the email the row is owed
(``mail_kind``, ``mail_due_at``) in its own transaction and wakes a sweep; one sweep sends every
email due, in chunks over one SMTP connection, and clears each mark once the server took the
message. One task per second or so instead of one per email: the queue's own writes per task
(claim, status, result) cost the worker as much as building the email did.

Nothing is lost, with nothing but the database:
- the mark commits with the sign-up, and so does its wake-up task, or an earlier wake-up of the
  same process runs after it (``wake``);
- a sweep claims a chunk by moving its due time a lease ahead and, in the same transaction,
  makes sure a sweep runs when the lease ends: if the worker dies mid-chunk, that one resends,
  and it also takes any sign-up that committed just as the claiming sweep finished;
- a failing server puts the emails off with a doubling delay, with a sweep queued for the
  earliest; after COMPLAINTS_MAIL_ATTEMPTS an email is no longer tried and the sweep fails
  loudly, staying in the task table for staff to see.
An email may be sent twice (a worker killed between sending and clearing), never lost.
Task arguments hold nothing personal: addresses are unsealed at send time.
"""

import datetime
import logging
import smtplib
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from technopolice.lib import mail

from . import tokens
from .models import MailKind, Signatory, SignatoryChange

logger = logging.getLogger(__name__)

CHUNK = 50  # emails claimed, sent and cleared together
# A claimed chunk not cleared by then is sent again; the sweep queued for then also catches
# sign-ups that committed as the claiming sweep ended.
LEASE = datetime.timedelta(minutes=2)
RUN_SECONDS = 30  # then the sweep hands the worker back to other tasks and queues its sequel
WAKE_SECONDS = 2.0  # how far ahead a web process's wake-up runs; later sign-ups ride on it
WAKE_MARGIN = 0.5  # a sign-up this close to that wake-up queues the next one


def backoff(attempt: int) -> datetime.timedelta:
    """30 s, 1 min, 2 min, ... capped at 6 hours."""
    seconds = settings.COMPLAINTS_MAIL_BACKOFF_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


# --- waking the sweep --------------------------------------------------------------------------

_covered = {"until": 0.0}  # this process has a committed wake-up queued to run at this time


def wake() -> None:
    """Make sure a sweep runs after the current transaction commits; call it inside the transaction
    that marked an email due, so the wake-up commits or rolls back with the mark.

    A process queues a sweep WAKE_SECONDS ahead and lets the sign-ups until then ride on it, which
    makes one task per WAKE_SECONDS - WAKE_MARGIN per process at most, whatever the load; after a
    quiet spell it also queues one now, so a lone sign-up's email leaves at once. A backend that
    cannot defer (the tests' immediate one) sweeps now, every time."""
    if not send_signatory_emails.get_backend().supports_defer:
        send_signatory_emails.enqueue()
        return
    now = time.time()
    covered_until = _covered["until"]
    if now < covered_until - WAKE_MARGIN:
        return
    if now > covered_until + WAKE_SECONDS:
        send_signatory_emails.enqueue()
    until = now + WAKE_SECONDS
    send_signatory_emails.using(run_after=datetime.datetime.fromtimestamp(until, datetime.UTC)).enqueue()
    transaction.on_commit(lambda: _covered.update(until=until))


def forget_wake_ups() -> None:
    """For tests: the queue this process's wake-ups were in is gone."""
    _covered["until"] = 0.0


def _ensure_sweep(at: datetime.datetime) -> None:
    """Queue a sweep to run by ``at``, unless one already is."""
    backend = send_signatory_emails.get_backend()
    if not backend.supports_defer:  # nothing runs later: the immediate backend sent everything already
        return
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    if isinstance(backend, DatabaseBackend):
        queued = DBTaskResult.objects.filter(status="READY", task_path=send_signatory_emails.module_path)
        if queued.filter(Q(run_after__lte=at) | Q(run_after=get_date_max())).exists():
            return
    send_signatory_emails.using(run_after=at).enqueue()


# --- the sweep -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: int = 0
    put_off: int = 0
    server_down: bool = False
    given_up: list = field(default_factory=list)


@task
def send_signatory_emails() -> str:
    """Send every email due, chunk by chunk, over this worker's one SMTP connection."""
    outcome = Outcome()
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline and not outcome.server_down:
        lease, chunk = _claim()
        if not chunk:
            break
        _deliver(lease, chunk, outcome)
    _plan_next()
    if outcome.given_up:
        raise RuntimeError(
            f"Emails to signatories {outcome.given_up} failed {settings.COMPLAINTS_MAIL_ATTEMPTS} times"
        )
    return f"{outcome.sent} sent, {outcome.put_off} put off"


def _claim() -> tuple[datetime.datetime, list[Signatory]]:
    """Take up to CHUNK due emails: their due time moves a lease ahead (other sweeps leave them;
    should this one die, they come due again) and confirmation emails get a fresh link."""
    now = timezone.now()
    lease = now + LEASE
    with transaction.atomic():
        due = Signatory.objects.mail_due(now).select_related("campaign", "mandate").order_by("mail_due_at")
        chunk = list(due.select_for_update(skip_locked=True, of=("self",))[:CHUNK])
        if not chunk:
            return lease, []
        Signatory.objects.filter(pk__in=[s.pk for s in chunk]).update(mail_due_at=lease)
        for signatory in chunk:
            signatory.mail_due_at = lease
            signatory.confirm_token = signatory.change = signatory.change_token = None
            if signatory.mail_kind == MailKind.CONFIRM and not signatory.confirmed_at:
                signatory.confirm_token = tokens.new_confirm_token(signatory)
        _store_confirm_tokens([s for s in chunk if s.confirm_token])
        _make_change_tokens([s for s in chunk if s.mail_kind == MailKind.CHANGE])
        _ensure_sweep(lease)
    return lease, chunk


def _make_change_tokens(signatories: list[Signatory]) -> None:
    """A fresh link for each pending change owed its email (rare: one query, one save each). A
    change applied or dropped meanwhile leaves ``signatory.change`` None: nothing to send."""
    if not signatories:
        return
    changes = SignatoryChange.objects.select_related("mandate").prefetch_related("grievances")
    pending = {c.signatory_id: c for c in changes.filter(signatory__in=signatories)}
    for signatory in signatories:
        change = pending.get(signatory.pk)
        if change is not None:
            signatory.change, signatory.change_token = change, tokens.new_change_token(change)
            change.save(update_fields=["token_hash", "expires_at"])


def _store_confirm_tokens(signatories: list[Signatory]) -> None:
    """One statement run for every row: bulk_update's CASE expressions for a chunk of 50 cost more
    CPU than sending the emails did (profiled)."""
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(s.confirm_token_hash, adapt(s.confirm_expires_at), s.pk) for s in signatories]
    table = connection.ops.quote_name(Signatory._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET confirm_token_hash = %s, confirm_expires_at = %s WHERE id = %s"  # noqa: S608
        cursor.executemany(sql, rows)


def _deliver(lease: datetime.datetime, chunk: list[Signatory], outcome: Outcome) -> None:
    """Send the chunk; clear the emails the server took, put off those it did not. A refused
    recipient concerns that email alone; any other failure, the server: the rest waits too."""
    sent = []
    for index, signatory in enumerate(chunk):
        if _no_longer_needed(signatory):
            sent.append(signatory.pk)
            continue
        try:
            mail.send(build_message(signatory))
        except smtplib.SMTPRecipientsRefused as error:
            _put_off(lease, [signatory], error, outcome)
            continue
        except (OSError, smtplib.SMTPException) as error:
            _put_off(lease, chunk[index:], error, outcome)
            outcome.server_down = True
            break
        sent.append(signatory.pk)
    # A resend asked meanwhile moved the due time: that email is owed again, leave it marked.
    Signatory.objects.filter(pk__in=sent, mail_due_at=lease).update(
        mail_kind="", mail_due_at=None, mail_attempts=0
    )
    forget_addresses(Signatory.objects.filter(pk__in=sent))
    outcome.sent += len(sent)


def _no_longer_needed(signatory: Signatory) -> bool:
    """Confirmed meanwhile: the confirmation link is of no use; a change applied or dropped
    meanwhile: nothing left to confirm."""
    if signatory.mail_kind == MailKind.CONFIRM:
        return bool(signatory.confirmed_at)
    return signatory.mail_kind == MailKind.CHANGE and signatory.change is None


def forget_addresses(signatories) -> None:
    """Once nothing more is owed, the server no longer keeps what it needed to write: the email
    and the first name stay only for those who asked for the campaign's news."""
    signatories.filter(wants_news=False, mail_due_at=None).update(email_sealed="", mail_name_sealed="")


def _put_off(lease, signatories: list[Signatory], error: Exception, outcome: Outcome) -> None:
    now = timezone.now()
    for signatory in signatories:
        failures = signatory.mail_attempts + 1
        due = now + backoff(failures)
        if failures >= settings.COMPLAINTS_MAIL_ATTEMPTS:
            due = None
            outcome.given_up.append(signatory.pk)
        Signatory.objects.filter(pk=signatory.pk, mail_due_at=lease).update(
            mail_attempts=failures, mail_due_at=due
        )
    outcome.put_off += len(signatories)
    # The error names the server, never the recipient.
    logger.warning("%s emails to signatories failed (%s), put off", len(signatories), type(error).__name__)


def _plan_next() -> None:
    """Make sure a sweep comes for the earliest email still owed: a retry, or what this run left."""
    owed = Signatory.objects.filter(mail_due_at__isnull=False).aggregate(at=Min("mail_due_at"))["at"]
    if owed:
        _ensure_sweep(max(timezone.now(), owed))


# --- the message ---------------------------------------------------------------------------------


def _link(name: str, token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[token])


def mandate_url(campaign, mandate) -> str:
    """The public page of a mandate version (its text, date and hash), absolute."""
    return settings.SITE_URL.rstrip("/") + reverse("complaints:mandate", args=[campaign.slug, mandate.number])


def build_message(signatory: Signatory):
    """The email ``signatory`` is owed, in their language. Every one carries the signatory's
    own page, the mandate version signed and the withdrawal and "not me" links; a confirmation
    carries the link ``_claim`` made (signatory.confirm_token), a change's confirmation the
    change's (signatory.change_token): only their hashes are stored. The greeting's first name
    may be forgotten already (templates greet without it)."""
    with translation.override(signatory.language):
        withdraw = tokens.withdraw_token(signatory)
        mandate = signatory.mandate
        context = {
            "campaign": signatory.campaign,
            "first_name": signatory.mail_name,
            "mandate": mandate,
            "mandate_url": mandate_url(signatory.campaign, mandate),
            "page_url": _link("complaints:signatory", withdraw),
            "withdraw_url": _link("complaints:withdraw", withdraw),
            "not_me_url": _link("complaints:not_me", withdraw),
            "hours": settings.COMPLAINTS_TOKEN_HOURS,
            "confirmed": bool(signatory.confirmed_at),
        }
        kind = signatory.mail_kind
        if kind == MailKind.CONFIRM:
            context["confirm_url"] = _link("complaints:confirm", signatory.confirm_token)
        if kind == MailKind.CHANGE:
            change = signatory.change
            context.update(
                change=change,
                change_grievances=list(change.grievances.all()),
                new_mandate_url=mandate_url(signatory.campaign, change.mandate),
                change_url=_link("complaints:confirm_change", signatory.change_token),
            )
        return mail.build(f"complaints/emails/{kind}", context, [signatory.email])
