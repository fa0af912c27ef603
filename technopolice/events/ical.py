"""iCalendar feeds, written by the icalendar library.

Times go out in Europe/Paris with a TZID and the VTIMEZONE that defines it, so a calendar
abroad shows the right hour. A feed holds the upcoming events and those of the last 30 days
(so a calendar does not drop an event the day after), read in one query.
"""

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from .forms import PARIS
from .models import Event

RECENT = dt.timedelta(days=30)
YEAR = dt.timedelta(days=366)
MAX_EVENTS = 1000
CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_events(events):
    """The events a feed holds, oldest first, with what each entry names."""
    since = timezone.now() - RECENT
    return (
        events.visible()
        .filter(starts_at__gte=since)
        .select_related("commune", "collective", "dossier")
        .order_by("starts_at", "pk")[:MAX_EVENTS]
    )


def calendar_response(name: str, events) -> HttpResponse:
    response = HttpResponse(calendar(name, events).to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def calendar(name: str, events) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Technopolice//events//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Paris")
    events = list(events)
    for event in events:
        cal.add_component(entry(event))
    if events:
        # The zone's rules over the feed's span only: from 1970 they outweighed the events.
        first = min(e.starts_at for e in events).date()
        last = max(e.ends_at or e.starts_at for e in events).date()
        cal.add_missing_timezones(first_date=first - YEAR, last_date=last + YEAR)
    return cal


def entry(event: Event) -> icalendar.Event:
    site = settings.SITE_URL.rstrip("/")
    item = icalendar.Event()
    item.add("uid", f"{event.uid}@{urlsplit(site).hostname}")
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("dtstart", event.starts_at.astimezone(PARIS))
    if event.ends_at:
        item.add("dtend", event.ends_at.astimezone(PARIS))
    item.add("summary", event.title)
    item.add("description", description(event))
    if location := place(event):
        item.add("location", location)
    item.add("url", site + event.get_absolute_url())
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    item.add("categories", [event.get_kind_display()])
    return item


def description(event: Event) -> str:
    """The Markdown as typed (calendars show plain text), then who organises it."""
    parts = [event.description.strip()]
    if event.collective_id:
        parts.append(gettext("Organised by %(name)s.") % {"name": event.collective.name})
    if event.online_url:
        parts.append(event.online_url)
    return "\n\n".join(part for part in parts if part)


def place(event: Event) -> str:
    where = [event.address, event.commune.name if event.commune_id else ""]
    return ", ".join(part for part in where if part) or event.online_url
