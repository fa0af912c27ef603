"""Who may publish and change events.

Organisers of a listed collective publish that collective's events; moderators (and
administrators: whoever holds ``events.change_event``) publish any event, with or without a
collective. Every edit and cancellation is checked against the event's collective, so an
organiser of one collective can never touch another's events.
"""

from django.core.exceptions import PermissionDenied

from technopolice.collectives.models import Collective, MembershipStatus, Role

MANAGE_ANY = "events.change_event"


def is_event_moderator(user) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_ANY)


def organised_collectives(user):
    """The listed collectives ``user`` organises: the ones they may publish for."""
    if not user.is_authenticated:
        return Collective.objects.none()
    return Collective.objects.listed().filter(
        memberships__user=user,
        memberships__role=Role.ORGANISER,
        memberships__status=MembershipStatus.ACTIVE,
    )


def collectives_for(user):
    """The collectives ``user`` may attach an event to: any listed one for a moderator."""
    if is_event_moderator(user):
        return Collective.objects.listed()
    return organised_collectives(user)


def may_publish(user) -> bool:
    return is_event_moderator(user) or organised_collectives(user).exists()


def may_manage(user, event) -> bool:
    if is_event_moderator(user):
        return True
    return (
        event.collective_id is not None
        and organised_collectives(user).filter(pk=event.collective_id).exists()
    )


def check_manage(user, event) -> None:
    if not may_manage(user, event):
        raise PermissionDenied
