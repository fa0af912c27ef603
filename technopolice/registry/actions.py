"""Verbs that change the registry. Views, moderation, commands and the demo loader all call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import activity, snapshots
from .models import Dossier, Revision


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "dossier"
    slug, n = base, 2
    while Dossier.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _record_revision(dossier: Dossier, moderator, summary: str, reverted_to: int | None = None) -> Revision:
    last = dossier.revisions.order_by("-number").first()
    return Revision.objects.create(
        dossier=dossier,
        number=(last.number + 1) if last else 1,
        snapshot=snapshots.snapshot(dossier),
        moderator=moderator,
        summary=summary[:300],
        reverted_to=reverted_to,
    )


@transaction.atomic
def publish_dossier(data: dict, moderator, dossier: Dossier | None = None, summary: str = "") -> Dossier:
    """Create or update a dossier from a snapshot, vouched for by a moderator, as a new revision.

    Refuses a dossier without a source: nothing is published unbacked.
    """
    if not data.get("sources"):
        raise ValidationError(_("A dossier cannot be published without at least one source."))
    if dossier is None:
        dossier = Dossier(slug=_unique_slug(data.get("title", "")))
    before = snapshots.snapshot(dossier) if dossier.pk else None
    dossier.vouched_by = moderator
    dossier.last_checked = timezone.localdate()
    snapshots.write(dossier, data)
    revision = _record_revision(dossier, moderator, summary)
    activity.record_dossier(dossier, before, revision.snapshot)
    return dossier


@transaction.atomic
def revert_dossier(dossier: Dossier, number: int, moderator) -> Revision:
    """Restore an earlier revision; the revert is itself a new revision, so nothing is lost."""
    old = dossier.revisions.get(number=number)
    before = snapshots.snapshot(dossier)
    dossier.vouched_by = moderator
    dossier.last_checked = timezone.localdate()
    snapshots.write(dossier, old.snapshot)
    revision = _record_revision(dossier, moderator, _("Reverted to revision %(n)s") % {"n": number}, number)
    activity.record_dossier(dossier, before, revision.snapshot)
    return revision
