"""The digest run, queued by ``technopolice send_digests --frequency daily|weekly`` (a timer) and
run by the task worker (`technopolice db_worker`).

The run fixes ``upto`` (the highest activity id when it starts), then takes each due person in
turn, in chunks by id so memory does not grow with their number: in one transaction with their
row locked (skipped if another run holds it), it reads their activities in
(last_activity_id, upto], sends one email if there are any, and moves the watermark to ``upto``.
A run that dies after N people leaves those N at ``upto`` and the others where they were: the
next run sends the others everything since their last digest, and the N nothing twice. The one
duplicate possible is the person whose email the server took just as the process died, before
the commit.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.tasks import task
from django.utils import timezone

from technopolice.activity.models import Activity
from technopolice.lib import mail

from . import digests
from .models import DigestSubscription, Follow, Frequency

CHUNK = 500  # people whose ids one query reads
# A digest goes out if the last one is at least this old: a timer that fires a little early or
# late still sends one a day (or a week).
PERIODS = {
    Frequency.DAILY: datetime.timedelta(hours=20),
    Frequency.WEEKLY: datetime.timedelta(days=6, hours=20),
}


def due(frequency: str, cutoff: datetime.datetime, upto: int):
    """The subscriptions owed a digest: this rhythm, an email, something followed, the last
    digest old enough and something new since (by id, not yet by subject)."""
    return (
        DigestSubscription.objects.filter(
            frequency=frequency, user__is_active=True, last_activity_id__lt=upto
        )
        .exclude(user__email="")
        .filter(Q(last_sent_at=None) | Q(last_sent_at__lte=cutoff))
        .filter(Exists(Follow.objects.filter(user_id=OuterRef("user_id"))))
    )


@task
def send_digests(frequency: str) -> str:
    """Send the digests of one rhythm ("daily" or "weekly") that are due."""
    if frequency not in PERIODS:
        raise ValueError(f"No digest is sent {frequency!r}.")
    upto = Activity.objects.aggregate(latest=Max("id"))["latest"] or 0
    cutoff = timezone.now() - PERIODS[frequency]
    counts = {"sent": 0, "quiet": 0}
    cache = digests.Cache()
    after = 0
    while chunk := list(
        due(frequency, cutoff, upto).filter(pk__gt=after).order_by("pk").values_list("pk", "user_id")[:CHUNK]
    ):
        follows = follows_of([user_id for _pk, user_id in chunk])
        for pk, user_id in chunk:
            outcome = digest_one(pk, frequency, cutoff, upto, cache, follows.get(user_id, []))
            if outcome is not None:
                counts[outcome] += 1
        after = chunk[-1][0]
    return f"{counts['sent']} digests sent, {counts['quiet']} with nothing new (activities up to {upto})"


def follows_of(user_ids: list[int]) -> dict[int, list[str]]:
    """The keys each person follows, for a chunk in one query. Read just before their turn: a
    follow made in between waits for the next digest, an unfollow may still show once."""
    keys: dict[int, list[str]] = {}
    for user_id, key in Follow.objects.filter(user_id__in=user_ids).values_list("user_id", "key"):
        keys.setdefault(user_id, []).append(key)
    return keys


def digest_one(
    pk: int, frequency: str, cutoff: datetime.datetime, upto: int, cache=None, keys: list[str] | None = None
) -> str | None:
    """Send one person's digest and move their watermark, together: "sent", "quiet" (nothing
    about their follows), or None (no longer due, or another run holds them). ``keys``: what they
    follow, if already read."""
    with transaction.atomic():
        # Still due (another run may have sent it meanwhile); the rest of due() was just checked.
        still_due = DigestSubscription.objects.filter(
            pk=pk, frequency=frequency, last_activity_id__lt=upto
        ).filter(Q(last_sent_at=None) | Q(last_sent_at__lte=cutoff))
        subscription = (
            still_due.select_for_update(skip_locked=True, of=("self",)).select_related("user").first()
        )
        if subscription is None or not subscription.user.email:
            return None
        if keys is None:
            keys = list(Follow.objects.filter(user_id=subscription.user_id).values_list("key", flat=True))
        email = digests.build(subscription, keys, upto, cache)
        if email is not None:
            mail.send(email)
        subscription.last_activity_id = upto
        subscription.last_sent_at = timezone.now()
        subscription.save(update_fields=["last_activity_id", "last_sent_at"])
    return "quiet" if email is None else "sent"
