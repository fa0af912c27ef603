"""A signatory's corrections, asked for on their own page and applied once confirmed by email.

The server cannot read a signatory's name or address (they are sealed to the campaign's key), so
it cannot show them for editing either: the page asks only for what changes, seals it to the
campaign's key at once, and keeps it as a pending ``SignatoryChange`` until the person opens the
link emailed to them. Whoever holds the page's link (a forwarded email) cannot change a signature
without also reading that mailbox.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from technopolice.lib import sealing

from . import actions, tasks, tokens
from .models import MailKind, MandateVersion, Signatory, SignatoryChange


@dataclass
class Correction:
    """What the change form hands over, already validated; empty text fields stay as they are."""

    email: str
    mandate: MandateVersion
    grievances: list
    first_name: str = ""
    last_name: str = ""
    address: str = ""
    department: object = None


def can_change(signatory: Signatory) -> bool:
    """Signatures change while the campaign collects them: once it closes, what is filed is
    fixed (withdrawing stays possible, always)."""
    return signatory.campaign.is_open()


def closed_message() -> str:
    return _(
        "This campaign no longer collects signatures: yours can no longer be changed. "
        "You can still withdraw it."
    )


def ask(signatory: Signatory, correction: Correction) -> bool:
    """Keep the correction, sealed, in place of any earlier one, and owe the email confirming it;
    False (and nothing kept) once the address's emails for this hour are spent."""
    key = signatory.campaign.public_key
    with transaction.atomic():
        SignatoryChange.objects.filter(signatory=signatory).delete()  # its link stops working too
        change = SignatoryChange.objects.create(
            signatory=signatory,
            mandate=correction.mandate,
            first_name_sealed=sealing.seal(key, correction.first_name),
            last_name_sealed=sealing.seal(key, correction.last_name),
            address_sealed=sealing.seal(key, correction.address),
            department=correction.department,
        )
        change.grievances.set(correction.grievances)
        if not actions.owe_email(signatory, MailKind.CHANGE, correction.email, correction.first_name):
            transaction.set_rollback(True)
            return False
    return True


def apply(token: str) -> Signatory | None:
    """Apply the change behind ``token`` and spend it. The link proves the person reads the
    signature's mailbox, as the confirmation link does: an unconfirmed signature is confirmed
    by it too (and its pending confirmation link then says "already confirmed")."""
    with transaction.atomic():
        change = tokens.change_by_token(token)
        if change is None:
            return None
        change = SignatoryChange.objects.select_for_update().filter(pk=change.pk).first()
        if change is None:  # two clicks at once: the other one applied it
            return None
        signatory = Signatory.objects.select_related("campaign").get(pk=change.signatory_id)
        if not can_change(signatory):
            return None
        _apply(signatory, change)
        change.delete()
    actions.forget_counters(signatory.campaign)
    return signatory


def _apply(signatory: Signatory, change: SignatoryChange) -> None:
    fields = {"mandate": change.mandate, "mandate_hash": change.mandate.content_hash}
    for name in ["first_name_sealed", "last_name_sealed", "address_sealed"]:
        if getattr(change, name):
            fields[name] = getattr(change, name)
    if change.address_sealed:  # a new address brings its department (or none, abroad)
        fields["department"] = change.department
    if not signatory.confirmed_at:
        fields.update(
            confirmed_at=timezone.now(),
            confirm_token_hash=None,
            confirm_expires_at=None,
            used_confirm_token_hash=signatory.confirm_token_hash,
        )
    Signatory.objects.filter(pk=signatory.pk).update(**fields)
    signatory.grievances.set(change.grievances.all())
    for name, value in fields.items():
        setattr(signatory, name, value)


def stop_news(signatory: Signatory) -> None:
    """The person no longer wants the campaign's news: the server forgets their email (and the
    first name it greeted them with) unless an email is still owed, and then once it is sent."""
    with transaction.atomic():
        Signatory.objects.filter(pk=signatory.pk).update(wants_news=False)
        tasks.forget_addresses(Signatory.objects.filter(pk=signatory.pk))


def matches(signatory: Signatory, email: str) -> bool:
    """Whether ``email`` is the address the signature was made with (its keyed hash: the server
    may no longer keep the address itself)."""
    return actions.email_index(email) == signatory.email_index
