"""Writes on events: publish, change, cancel. Views, the admin and the demo call these."""

from django.db import transaction

from technopolice.activity import actions as activity
from technopolice.registry.activity import path_of, place_subjects

from .models import Event


@transaction.atomic
def publish_event(values: dict, user) -> Event:
    """A new event from the form's values (EventForm.values), public at once."""
    event = Event.objects.create(**values, created_by=user)
    record(event, "event")
    return event


@transaction.atomic
def change_event(event: Event, values: dict) -> Event:
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    return event


@transaction.atomic
def cancel_event(event: Event) -> None:
    """Cancelled events stay listed, marked so, so people who planned to come learn it."""
    event.is_cancelled = True
    event.save(update_fields=["is_cancelled", "updated_at"])
    record(event, "event_cancelled")


def record(event: Event, kind: str) -> None:
    """Say that an event was published or cancelled, to its places, its collective and its dossier.

    Only a public event: one of a collective still waiting for a moderator stays out of the feeds.
    """
    if event.collective_id and not event.collective.is_listed:
        return
    keys = place_subjects(
        [event.commune] if event.commune else [], [event.department] if event.department else []
    )
    if event.collective_id:
        keys.add(f"collective:{event.collective_id}")
    if event.dossier_id:
        keys.add(f"dossier:{event.dossier_id}")
    activity.record(kind, event, title=event.title, path=path_of(event), subjects=keys)
