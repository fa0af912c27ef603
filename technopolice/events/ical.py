"""iCalendar feeds, written by the icalendar library.

Times go out in Europe/Paris with a TZID and the VTIMEZONE that defines it, so a calendar
abroad shows the right hour. A feed holds the upcoming events and those of the last 30 days
(so a calendar does not drop an event the day after), read in one query.

A feed's text is kept in the cache, keyed by what it is made of: the library takes about a
millisecond an event (it folds lines character by character), 300 ms for a busy department,
and calendars poll feeds that seldom change (bench/collectives.py).
"""

import datetime as dt
import hashlib
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from .forms import PARIS
from .models import Event

RECENT = dt.timedelta(days=30)
YEAR = dt.timedelta(days=366)
MAX_EVENTS = 1000
CACHE_SECONDS = 24 * 3600
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
    response = HttpResponse(calendar_text(name, events), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def calendar_text(name: str, events) -> bytes:
    """The feed's text, from the cache when none of what it shows has changed since it was written:
    each event's last change (and its collective's, whose name it shows, and its commune's name),
    the feed's name and language; the events that enter or leave the feed change the list itself."""
    events = list(events)
    versions = [
        (e.pk, e.updated_at, e.collective and e.collective.updated_at, e.commune and e.commune.name)
        for e in events
    ]
    made_of = repr((name, get_language(), settings.SITE_URL, versions)).encode()
    key = "events:ical:" + hashlib.sha256(made_of).hexdigest()
    text = cache.get(key)
    if text is None:
        text = calendar(name, events).to_ical()
        cache.set(key, text, CACHE_SECONDS)
    return text


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
