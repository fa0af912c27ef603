"""Recording and retracting activities: the only writes, called by the domains in their own transactions."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from .models import Activity, ActivitySubject
from .subjects import SITE


def record(kind: str, obj, *, title: str, path: str, subjects: Iterable[str], summary: str = "") -> Activity:
    """Say that ``kind`` happened to ``obj`` and whom it concerns; the whole site always hears it."""
    activity = Activity.objects.create(
        kind=kind,
        title=title[:300],
        summary=summary[:2000],
        path=path,
        object_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
    )
    keys = {SITE, *subjects}
    ActivitySubject.objects.bulk_create(ActivitySubject(activity=activity, key=k) for k in sorted(keys))
    return activity


def retract(obj) -> int:
    """Forget every activity about ``obj`` (hidden, deleted, unpublished): the count removed."""
    found = Activity.objects.filter(object_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    count, _detail = found.delete()
    return count
