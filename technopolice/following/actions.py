"""Verbs for following: the views, the demo and the tests all go through these."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from technopolice.activity import subjects
from technopolice.activity.models import Activity

from .models import DigestSubscription, Follow, Frequency

MAX_FOLLOWS = 500  # a person's digest reads them all; more is a script, not a reader
FOLLOWABLE = ("commune", "department", "region", "dossier", "collective", "technology", "organisation")


def followable(key: str):
    """The public object a key names, or a ValidationError saying why it cannot be followed."""
    try:
        kind, _pk = subjects.split(key)
    except ValueError:
        kind = None
    if kind not in FOLLOWABLE or subjects.get_kind(kind) is None:
        raise ValidationError(_("“%(key)s” is not something one can follow.") % {"key": key[:40]})
    found = subjects.resolve([key]).get(key)
    if found is None:
        raise ValidationError(_("There is nothing public to follow at “%(key)s”.") % {"key": key})
    return found


def subscription(user, language: str = "") -> DigestSubscription:
    """The person's digest settings, created daily the first time; the watermark starts at the
    latest activity, so a first digest tells what happened since one followed, not all history."""
    found = DigestSubscription.objects.filter(user=user).first()
    if found is not None:
        return found
    latest = Activity.objects.aggregate(latest=Max("id"))["latest"] or 0
    try:
        with transaction.atomic():
            return DigestSubscription.objects.create(user=user, language=language, last_activity_id=latest)
    except IntegrityError:  # created meanwhile by another request of the same person
        return DigestSubscription.objects.get(user=user)


@transaction.atomic
def follow(user, key: str, language: str = "") -> Follow:
    """Follow a public subject (refused otherwise); following twice is following once."""
    followable(key)
    if (
        Follow.objects.filter(user=user).count() >= MAX_FOLLOWS
        and not Follow.objects.filter(user=user, key=key).exists()
    ):
        raise ValidationError(
            _("You follow %(count)s pages already: unfollow some first.") % {"count": MAX_FOLLOWS}
        )
    subscription(user, language)
    found, _created = Follow.objects.get_or_create(user=user, key=key)
    return found


def unfollow(user, key: str) -> int:
    """Stop following; the count removed (0 when one did not follow it)."""
    count, _detail = Follow.objects.filter(user=user, key=key).delete()
    return count


def set_frequency(user, frequency: str, language: str = "") -> DigestSubscription:
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose daily, weekly or no email."))
    found = subscription(user, language)
    found.frequency = frequency
    found.language = language or found.language
    found.save(update_fields=["frequency", "language"])
    return found


def stop_digests(user_id: int) -> bool:
    """Turn a person's digests off (the unsubscribe link): whether they were on."""
    return bool(
        DigestSubscription.objects.filter(user_id=user_id)
        .exclude(frequency=Frequency.OFF)
        .update(frequency=Frequency.OFF)
    )
