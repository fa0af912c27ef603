"""The verbs of a collective complaint. Views, admin, commands and tests all call these.

A verb that owes someone an email marks it on the signatory row and wakes the sweep that sends
it (tasks.py); the links in those emails are made and read in tokens.py.
"""

import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import get_language

from technopolice.lib import crypto, ratelimit, sealing

from . import tasks, tokens
from .models import BlockedAddress, Campaign, Grievance, MailKind, MandateVersion, Signatory

logger = logging.getLogger(__name__)


@dataclass
class Signature:
    """What the signing form hands over, already validated."""

    campaign: Campaign
    mandate: MandateVersion
    first_name: str
    last_name: str
    email: str
    grievances: list
    address: str = ""
    department: object = None
    wants_news: bool = False


@dataclass(frozen=True)
class Signing:
    """What signing needs to know of a campaign: the campaign, the mandate version in force, the
    grievances one may join, and whether anyone said "not me" (only then is a sign-up's address
    looked up among the blocked ones)."""

    campaign: Campaign
    mandate: MandateVersion | None
    grievances: tuple[Grievance, ...]
    has_blocks: bool = True

    @classmethod
    def of(cls, campaign: Campaign) -> "Signing":
        blocks = campaign.blocked_addresses.exists()
        return cls(campaign, campaign.current_mandate(), tuple(campaign.grievances.all()), blocks)


SIGNING_SECONDS = 5
_signings: dict[str, tuple[float, Signing]] = {}


def signing(slug: str) -> Signing | None:
    """The campaign ``slug`` as signing needs it, kept by this process for SIGNING_SECONDS: during
    a launch every sign-up would otherwise read the same three rows before it writes. Staff
    edits made in another process show within that time (in this one, at once: forget_signings).
    The signatory stays bound to the mandate they read: the form carries its hash, and a hash
    other than the kept version's is checked against the database (forms.SignForm)."""
    held = _signings.get(slug)
    if held and time.monotonic() < held[0]:
        return held[1]
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        return None
    fresh = Signing.of(campaign)
    _signings[slug] = (time.monotonic() + SIGNING_SECONDS, fresh)
    return fresh


def forget_signings(**_signal) -> None:
    """Drop what this process keeps (connected to saves and deletions of campaigns, mandates
    and grievances: apps.py)."""
    _signings.clear()


def email_index(email: str) -> str:
    return crypto.blind_index(crypto.normalise_email(email), "complaints-email")


def _new_signatory(sig: Signature) -> Signatory:
    """The row, with the identity sealed to the campaign's key (the server cannot open it) and
    the email and first name sealed with the server's keys until the emails owed are sent."""
    key, email = sig.campaign.public_key, crypto.normalise_email(sig.email)
    signatory = Signatory(
        campaign=sig.campaign,
        mandate=sig.mandate,
        mandate_hash=sig.mandate.content_hash,
        first_name_sealed=sealing.seal(key, sig.first_name),
        last_name_sealed=sealing.seal(key, sig.last_name),
        address_sealed=sealing.seal(key, sig.address),
        email_filing_sealed=sealing.seal(key, email),
        email_sealed=crypto.seal(email),
        mail_name_sealed=crypto.seal(sig.first_name),
        wants_news=sig.wants_news,
        email_index=email_index(sig.email),
        department=sig.department,
        language=get_language() or settings.LANGUAGE_CODE,
        links_secret=secrets.token_hex(32),
        mail_kind=MailKind.CONFIRM,  # owed from the start: the row is its own outbox (tasks.py)
        mail_due_at=timezone.now(),
    )
    signatory.withdraw_token_hash = crypto.token_hash(tokens.withdraw_token(signatory))
    return signatory


class SignatureNotStored(Exception):
    """The sign-up could not be stored as submitted; the person must look at the form again."""


def is_blocked(campaign: Campaign, email: str) -> bool:
    """Whether the owner of ``email`` said "not me" to this campaign. The blocked addresses are
    looked up only for a campaign that has some (as this process keeps it, so a block made in
    another process counts here within SIGNING_SECONDS): most campaigns pay no query for it."""
    kept = signing(campaign.slug)
    if kept is not None and not kept.has_blocks:
        return False
    return BlockedAddress.objects.filter(campaign=campaign, email_index=email_index(email)).exists()


def sign(sig: Signature) -> None:
    """Record a sign-up, owing it its confirmation email, or, for an address that already
    signed this campaign, send it the link to its own page (with the confirmation link again if
    still unconfirmed): what was typed this time is not kept, the email says how to change it.
    An address whose owner said "not me" is neither stored nor written to. The caller shows
    the same page in every case.

    Insert first and let the unique constraint find duplicates: most sign-ups are new, so
    this saves a look-up on the hot path, and two identical submissions at once cannot
    both get in."""
    if is_blocked(sig.campaign, sig.email):
        return
    try:
        with transaction.atomic():
            signatory = _new_signatory(sig)
            signatory.save()
            Through = Signatory.grievances.through  # one INSERT, no read-back
            Through.objects.bulk_create([Through(signatory=signatory, grievance=g) for g in sig.grievances])
            tasks.wake()
        return
    except IntegrityError:
        existing = Signatory.objects.filter(campaign=sig.campaign, email_index=email_index(sig.email)).first()
    if existing is None:
        # Not a duplicate: a grievance or the mandate this process kept was deleted by staff in
        # the meantime (or the address withdrew in between). Nothing was stored, so the success
        # page would lie: forget the kept campaign and let the view ask to sign again.
        forget_signings()
        raise SignatureNotStored
    resend(existing, sig.email, sig.first_name)


def resend(signatory: Signatory, email: str, first_name: str) -> bool:
    """Send the link again: the confirmation (with the page's link) to an unconfirmed address,
    a note with the page's link to a confirmed one."""
    kind = MailKind.ALREADY if signatory.confirmed_at else MailKind.CONFIRM
    return owe_email(signatory, kind, email, first_name)


def owe_email(signatory: Signatory, kind: str, email: str, first_name: str = "") -> bool:
    """Owe ``signatory`` an email of ``kind``, at most COMPLAINTS_RESENDS_PER_HOUR per address and
    hour; False if that is spent. The server may have forgotten the address since its last
    email: the one just typed is kept until sent (and the first name, when one was typed).

    The same email still waiting for a sweep costs nothing from the quota: it will leave anyway,
    so quick repeated submissions only refresh what it is sent to, instead of using up the
    hour's emails without sending anything more."""
    sealed = {"email_sealed": crypto.seal(crypto.normalise_email(email))}
    if first_name:
        sealed["mail_name_sealed"] = crypto.seal(first_name)
    waiting = Signatory.objects.filter(pk=signatory.pk, mail_kind=kind, mail_due_at__lte=timezone.now())
    if waiting.update(**sealed):
        return True
    key = ratelimit.subject_key(signatory.email_index)
    if not ratelimit.allow("complaints-resend", key, settings.COMPLAINTS_RESENDS_PER_HOUR):
        return False
    with transaction.atomic():
        Signatory.objects.filter(pk=signatory.pk).update(
            mail_kind=kind, mail_due_at=timezone.now(), mail_attempts=0, **sealed
        )
        tasks.wake()
    return True


def confirm(token: str) -> Signatory | None:
    """Confirm the sign-up behind ``token``; the token is spent whatever happens next."""
    with transaction.atomic():
        signatory = tokens.pending_by_token(token)
        if signatory is None:
            return None
        updated = Signatory.objects.filter(
            pk=signatory.pk, confirm_token_hash=signatory.confirm_token_hash
        ).update(
            confirmed_at=timezone.now(),
            confirm_token_hash=None,
            confirm_expires_at=None,
            used_confirm_token_hash=signatory.confirm_token_hash,  # a second click: "already confirmed"
        )
    if not updated:  # two clicks at once: only one confirms
        return None
    forget_counters(signatory.campaign)
    return signatory


def not_me(signatory: Signatory) -> None:
    """Someone signed with an address that is not theirs: forget the sign-up entirely, at once,
    and refuse that address for this campaign from now on (only its keyed hash is kept). A
    confirmed signature is a real one, so it goes through withdrawal."""
    with transaction.atomic():
        BlockedAddress.objects.get_or_create(campaign=signatory.campaign, email_index=signatory.email_index)
        if signatory.confirmed_at:
            withdraw(signatory)
        else:
            signatory.delete()
    forget_signings()  # this process looks blocked addresses up for this campaign from now on


def withdraw(signatory: Signatory) -> None:
    """Delete every personal datum of a signatory now; only an anonymous count remains."""
    campaign = signatory.campaign
    with transaction.atomic():
        if signatory.confirmed_at:
            Campaign.objects.filter(pk=campaign.pk).update(withdrawals=models.F("withdrawals") + 1)
        signatory.delete()
    forget_counters(campaign)
    forget_signings()  # the campaign kept for signing carries the count of withdrawals


def forget_counters(campaign: Campaign) -> None:
    cache.delete(campaign.cache_key())


def counters(campaign: Campaign) -> dict:
    """Confirmed signatories overall, per grievance and per department, cached briefly so a
    launch reads them from the cache, not the database."""
    return cache.get_or_set(
        campaign.cache_key(), lambda: _count(campaign), settings.COMPLAINTS_COUNTER_SECONDS
    )


def _count(campaign: Campaign) -> dict:
    confirmed = Signatory.objects.filter(campaign=campaign).confirmed()
    per_grievance = dict(
        campaign.grievances.annotate(
            n=models.Count("signatories", filter=models.Q(signatories__confirmed_at__isnull=False))
        ).values_list("pk", "n")
    )
    per_department = list(
        confirmed.exclude(department=None)
        .values("department__code", "department__name")
        .annotate(n=models.Count("pk"))
        .order_by("-n", "department__code")
    )
    return {"total": confirmed.count(), "grievances": per_grievance, "departments": per_department}


def delete_unconfirmed(days: int, dry_run: bool = False) -> int:
    stale = Signatory.objects.stale(days)
    count = stale.count()
    if not dry_run:
        stale.delete()
    return count


def purge_campaign(campaign: Campaign, dry_run: bool = False, now=None) -> int:
    """Delete the campaign's personal data once its declared retention has passed."""
    if (now or timezone.now()) < campaign.retention_ends:
        return 0
    signatories = campaign.signatories.all()
    count, confirmed = signatories.count(), signatories.confirmed().count()
    if not dry_run:
        with transaction.atomic():
            Campaign.objects.filter(pk=campaign.pk).update(purged=models.F("purged") + confirmed)
            signatories.delete()
        forget_counters(campaign)
        forget_signings()
    return count


def server_sealed():
    """The signatories of whom the server keeps something under its own keys (an email owed, or
    the news they asked for): what a key rotation re-seals."""
    return Signatory.objects.exclude(email_sealed="", mail_name_sealed="")


def rotate_keys(batch: int = 500, progress=None) -> int:
    """Re-seal under the current (first) server key what the server keeps sealed with its own
    keys; what is sealed to a campaign's key is not the server's to re-seal."""
    fields = ["email_sealed", "mail_name_sealed"]
    done = 0
    for signatory in server_sealed().only("pk", *fields).iterator(chunk_size=batch):
        for field in fields:
            setattr(signatory, field, crypto.rotate(getattr(signatory, field)))
        signatory.save(update_fields=fields)
        done += 1
        if progress:
            progress.update(1)
    return done
