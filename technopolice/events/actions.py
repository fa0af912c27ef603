"""Writes on events: publish, change, cancel. Views, the admin and the demo call these."""

from django.db import transaction

from .models import Event


@transaction.atomic
def publish_event(values: dict, user) -> Event:
    """A new event from the form's values (EventForm.values), public at once."""
    return Event.objects.create(**values, created_by=user)


@transaction.atomic
def change_event(event: Event, values: dict) -> Event:
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    return event


def cancel_event(event: Event) -> None:
    """Cancelled events stay listed, marked so, so people who planned to come learn it."""
    event.is_cancelled = True
    event.save(update_fields=["is_cancelled", "updated_at"])
