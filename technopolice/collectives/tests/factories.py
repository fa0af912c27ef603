"""Factories for collectives: a listed collective by default, and memberships in one call."""

import factory
from django.utils import timezone

from technopolice.collectives.models import (
    Collective,
    CollectiveStatus,
    Membership,
    MembershipStatus,
    Role,
)

# The registry's hook: CollectiveFactory(communes=[...]) sets that many-to-many relation.
from technopolice.registry.tests.factories import _set_related as set_related


def _now_if(status: str):
    """The time of creation when the record is in ``status``, else None (listed_at, joined_at)."""
    return factory.LazyAttribute(lambda o: timezone.now() if o.status == status else None)


class CollectiveFactory(factory.django.DjangoModelFactory):
    """A listed collective; pass status=CollectiveStatus.PENDING for one waiting for a moderator,
    communes=[...] and departments=[...] to place it."""

    class Meta:
        model = Collective
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Technopolice Collectif {n}")
    slug = factory.Sequence(lambda n: f"collectif-{n}")
    description = "Un collectif contre la **vidéosurveillance**."
    status = CollectiveStatus.LISTED
    listed_at = _now_if(CollectiveStatus.LISTED)
    communes = set_related("communes")
    departments = set_related("departments")


class MembershipFactory(factory.django.DjangoModelFactory):
    """An active member; role=Role.ORGANISER for an organiser, status=REQUESTED for a request."""

    class Meta:
        model = Membership

    collective = factory.SubFactory(CollectiveFactory)
    user = None  # always given: the test's cast (alice, mallory...)
    role = Role.MEMBER
    status = MembershipStatus.ACTIVE
    joined_at = _now_if(MembershipStatus.ACTIVE)


def add_member(collective: Collective, user, role: str = Role.MEMBER) -> Membership:
    """``user`` as an active member (or organiser) of ``collective``."""
    return MembershipFactory(collective=collective, user=user, role=role)


def add_organiser(collective: Collective, user) -> Membership:
    return add_member(collective, user, Role.ORGANISER)


def ask_to_join(collective: Collective, user) -> Membership:
    """A request to join that no organiser answered yet."""
    return MembershipFactory(collective=collective, user=user, status=MembershipStatus.REQUESTED)
