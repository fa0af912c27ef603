"""Verbs for collectives: create, edit, list or refuse, and run the membership.

Each write is one transaction. Membership changes lock the collective's row first, so two
organisers stepping down at once cannot leave it with none. The rules (the last organiser
stays until someone takes over, only active members become organisers) raise
``ValidationError`` with a message for the person who asked. Emails leave after the
transaction: a mail server that is down loses an email, never the change itself.
"""

import logging
import secrets
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from technopolice.activity import actions as activity
from technopolice.lib import mail
from technopolice.moderation import actions as moderation
from technopolice.registry.activity import path_of, place_subjects

from .models import Collective, CollectiveStatus, Membership, MembershipStatus, Role

logger = logging.getLogger(__name__)
KIND = "collective"
# Paths under /collectifs/ that a collective's slug must not take.
RESERVED_SLUGS = {"nouveau", "mes-collectifs", "carte", "recherche", "evenements"}
_FIELDS = ("name", "description", "founded_on", "website", "mastodon", "matrix", "signal", "accepts_messages")


def unique_slug(name: str) -> str:
    base = slugify(name)[:150].strip("-") or "collectif"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Collective.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _store_logo(data: dict) -> str:
    """Write the cleaned logo, if one was sent, before the transaction; returns its name or ''."""
    clean = data.get("logo")
    if not clean:
        return ""
    field = Collective._meta.get_field("logo")
    return field.storage.save(
        field.generate_filename(None, f"logo.{clean.extension}"), ContentFile(clean.content)
    )


def _write(collective: Collective, data: dict, logo: str) -> None:
    """Copy the form's data onto ``collective`` and save it, places and logo included."""
    for name in _FIELDS:
        setattr(collective, name, data[name])
    if "is_dormant" in data:
        collective.is_dormant = data["is_dormant"]
    old_logo = collective.logo.name or ""
    if logo or data.get("remove_logo"):
        collective.logo = logo
    collective.save()
    collective.communes.set(data["communes"])
    collective.departments.set(data["departments"])
    if old_logo and old_logo != collective.logo.name:
        storage = collective.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))


def _saved(collective: Collective, data: dict, then=None) -> Collective:
    """Write ``collective`` (and whatever ``then`` adds) in one transaction; a logo written for a
    change that did not happen is deleted, so no file belongs to nothing."""
    logo = _store_logo(data)
    try:
        with transaction.atomic():
            _write(collective, data, logo)
            if then:
                then(collective)
    except BaseException:
        if logo:
            collective.logo.storage.delete(logo)
        raise
    return collective


def create_collective(user, data: dict) -> Collective:
    """A pending collective, its creator as its first organiser, and its proposal in the queue."""

    def found(collective: Collective) -> None:
        Membership.objects.create(
            collective=collective,
            user=user,
            role=Role.ORGANISER,
            status=MembershipStatus.ACTIVE,
            joined_at=timezone.now(),
        )
        # No target: the queue shows it as something new. The payload names the collective;
        # accepting the proposal lists it (proposals.py).
        moderation.submit(KIND, {"collective": collective.pk, "title": collective.name}, contributor=user)

    collective = Collective(slug=unique_slug(data["name"]), status=CollectiveStatus.PENDING)
    try:
        return _saved(collective, data, found)
    except IntegrityError:
        # Another collective took the slug meanwhile: a random suffix cannot collide again.
        collective = Collective(slug=f"{collective.slug[:150]}-{secrets.token_hex(3)}")
        return _saved(collective, data, found)


def update_collective(collective: Collective, data: dict) -> Collective:
    """An organiser's (or a moderator's) edit: it applies at once, listed or not."""
    return _saved(collective, data)


def list_collective(collective_id: int) -> Collective:
    """A moderator accepted it: the collective appears in the directory."""
    collective = Collective.objects.select_for_update().get(pk=collective_id)
    was_listed = collective.is_listed
    collective.status = CollectiveStatus.LISTED
    collective.listed_at = collective.listed_at or timezone.now()
    collective.save(update_fields=["status", "listed_at", "updated_at"])
    if not was_listed:
        record_listed(collective)
    return collective


def record_listed(collective: Collective) -> None:
    """Say that a collective appeared in the directory, to the places it covers."""
    keys = place_subjects(collective.communes.select_related("department"), collective.departments.all())
    keys.add(f"collective:{collective.pk}")
    activity.record(
        "collective_listed", collective, title=collective.name, path=path_of(collective), subjects=keys
    )


def forget_activity(collective: Collective) -> None:
    """Unlisted by an administrator: what was said about it and its events leaves every feed and
    digest, since their pages are no longer public."""
    activity.retract(collective)
    for event in collective.events.all():
        activity.retract(event)


def refuse_collective(collective_id: int) -> Collective | None:
    """A moderator rejected it: it stays out of the directory (its organisers still see it)."""
    collective = Collective.objects.select_for_update().filter(pk=collective_id).first()
    if collective is not None and collective.status == CollectiveStatus.PENDING:
        collective.status = CollectiveStatus.REFUSED
        collective.save(update_fields=["status", "updated_at"])
    return collective


# Membership -------------------------------------------------------------------------------


def _lock(collective: Collective) -> Collective:
    return Collective.objects.select_for_update().get(pk=collective.pk)


def _other_organisers(membership: Membership):
    return membership.collective.memberships.filter(
        role=Role.ORGANISER, status=MembershipStatus.ACTIVE
    ).exclude(pk=membership.pk)


def organisers_emails(collective: Collective) -> list[str]:
    """Where organisers are told things: their confirmed addresses (never shown to anyone)."""
    rows = collective.memberships.filter(
        role=Role.ORGANISER, status=MembershipStatus.ACTIVE, user__is_active=True
    ).exclude(user__email="")
    return list(rows.values_list("user__email", flat=True))


def ask_to_join(collective: Collective, user) -> Membership:
    """``user`` asks to join; the organisers are told by email. Asking twice changes nothing."""
    with transaction.atomic():
        _lock(collective)
        membership, created = Membership.objects.get_or_create(collective=collective, user=user)
    if created:
        _tell(
            "join_request",
            organisers_emails(collective),
            {
                "collective": collective,
                "username": user.get_username(),
                "link": _absolute(reverse("collectives:members", args=[collective.slug])),
            },
        )
    return membership


def accept_request(membership: Membership) -> Membership:
    with transaction.atomic():
        _lock(membership.collective)
        membership.refresh_from_db()
        if membership.status != MembershipStatus.REQUESTED:
            raise ValidationError(_("This request was already answered."))
        membership.status = MembershipStatus.ACTIVE
        membership.joined_at = timezone.now()
        membership.save(update_fields=["status", "joined_at"])
    collective = membership.collective
    context = {"collective": collective, "link": _absolute(collective.get_absolute_url())}
    _tell("join_accepted", [membership.user.email] if membership.user.email else [], context)
    return membership


def refuse_request(membership: Membership) -> None:
    with transaction.atomic():
        _lock(membership.collective)
        Membership.objects.filter(pk=membership.pk, status=MembershipStatus.REQUESTED).delete()


def make_organiser(membership: Membership) -> Membership:
    with transaction.atomic():
        _lock(membership.collective)
        membership.refresh_from_db()
        if membership.status != MembershipStatus.ACTIVE:
            raise ValidationError(_("Only a member can become an organiser: accept their request first."))
        membership.role = Role.ORGANISER
        membership.save(update_fields=["role"])
    return membership


def remove_member(membership: Membership) -> None:
    """An organiser removes a member; organisers step down themselves first."""
    with transaction.atomic():
        _lock(membership.collective)
        membership.refresh_from_db()
        if membership.role == Role.ORGANISER:
            raise ValidationError(_("An organiser cannot be removed: they can step down themselves."))
        membership.delete()


def step_down(membership: Membership) -> Membership:
    """An organiser becomes a plain member, if another organiser remains."""
    with transaction.atomic():
        _lock(membership.collective)
        if not _other_organisers(membership).exists():
            raise ValidationError(
                _("You are the last organiser: make another member an organiser before you step down.")
            )
        membership.role = Role.MEMBER
        membership.save(update_fields=["role"])
    return membership


def leave(membership: Membership) -> None:
    """A member leaves, or withdraws a request; the last organiser hands the role on first."""
    with transaction.atomic():
        _lock(membership.collective)
        membership.refresh_from_db()
        if membership.role == Role.ORGANISER and not _other_organisers(membership).exists():
            raise ValidationError(
                _("You are the last organiser: make another member an organiser before you leave.")
            )
        membership.delete()


def forget_account(sender, user, **kwargs) -> None:
    """A closed account leaves no membership behind (accounts.deletion.account_closing).

    A collective whose only organiser left this way keeps existing without one: moderators
    can give it a new organiser in the admin."""
    Membership.objects.filter(user=user).delete()


# Emails ----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _tell(template: str, to: list[str], context: dict) -> None:
    """One email per recipient (nobody sees another's address); a failure is logged, not raised."""
    for address in to:
        try:
            mail.send(mail.build(f"collectives/emails/{template}", context, [address]))
        except (OSError, smtplib.SMTPException):
            logger.warning("collectives: the %s email could not be sent", template, exc_info=True)
