"""``{% load events %}``: upcoming events for the home page, a commune's page and a collective's page.

Each section links to the iCalendar feed that holds the same events (the site's, the
department's, the collective's), so a visitor can subscribe from where they are.
"""

from django import template
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from technopolice.events.models import Event
from technopolice.registry.models import Commune

register = template.Library()

HOME_SIZE = 5
SECTION_SIZE = 10


def _upcoming():
    return Event.objects.upcoming().select_related("commune", "collective")


@register.inclusion_tag("events/_section.html")
def upcoming_events(size: int = HOME_SIZE) -> dict:
    """Shown only when there is something coming."""
    return {
        "events": list(_upcoming()[:size]),
        "heading": gettext("Upcoming events"),
        "more_url": reverse("events:list"),
        "feed_url": reverse("events:ical"),
    }


@register.inclusion_tag("events/_section.html")
def commune_events(commune) -> dict:
    """The commune's events (its arrondissements' too), then its department's online events."""
    # One IN over the commune and its arrondissements, as the cameras' section: an OR across the join
    # would read every commune.
    here = Q(commune__in=Commune.objects.filter(Q(pk=commune.pk) | Q(parent=commune)).values("pk"))
    online = Q(commune__isnull=True, department=commune.department_id)
    department = commune.department
    return {
        "events": list(_upcoming().filter(here | online)[:SECTION_SIZE]),
        "heading": gettext("Upcoming events"),
        "more_url": reverse("events:list") + f"?department={department.slug}",
        "feed_url": reverse("events:ical_department", args=[department.slug]),
    }


@register.inclusion_tag("events/_section.html")
def collective_events(collective) -> dict:
    """Shown even when empty: its organisers and followers find the feed there."""
    return {
        "events": list(_upcoming().filter(collective=collective)[:SECTION_SIZE]),
        "heading": gettext("Events"),
        "more_url": reverse("events:list") + f"?collective={collective.slug}",
        "feed_url": reverse("events:ical_collective", args=[collective.slug]),
        "always": True,
    }
