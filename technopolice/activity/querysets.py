"""Reading activities: by subject for a feed, by a set of subjects for a digest or a follows page."""

from collections.abc import Iterable

from .models import Activity, ActivitySubject


def about(subject: str, limit: int = 50):
    """The latest activities concerning ``subject``, newest first."""
    ids = ActivitySubject.objects.filter(key=subject).order_by("-activity_id").values("activity_id")[:limit]
    return Activity.objects.filter(pk__in=ids).order_by("-id")


def about_any(subjects: Iterable[str], after_id: int = 0, upto_id: int | None = None):
    """Activities about any of ``subjects`` with ``after_id < id <= upto_id``, each once, oldest first."""
    matching = ActivitySubject.objects.filter(key__in=list(subjects), activity_id__gt=after_id)
    if upto_id is not None:
        matching = matching.filter(activity_id__lte=upto_id)
    return Activity.objects.filter(pk__in=matching.values("activity_id")).order_by("id")


def subjects_of(activity_ids: Iterable[int]) -> dict[int, list[str]]:
    """The subject keys of each activity: a digest groups its items by what the reader follows."""
    keys: dict[int, list[str]] = {}
    for activity_id, key in ActivitySubject.objects.filter(activity_id__in=list(activity_ids)).values_list(
        "activity_id", "key"
    ):
        keys.setdefault(activity_id, []).append(key)
    return keys
