"""Events for tests: an upcoming meeting in Saint-Étienne by default."""

import datetime as dt

import factory
from django.utils import timezone

from technopolice.events.models import Event
from technopolice.registry.tests.factories import CommuneFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Réunion publique {n}")
    kind = "meeting"
    description = "Contre les **micros** dans la rue."
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    commune = factory.SubFactory(CommuneFactory)
    department = factory.LazyAttribute(lambda o: o.commune.department if o.commune else None)
    address = "Bourse du travail"
