"""Event pages: upcoming and past lists, an event's page, publishing, and the iCalendar feeds."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from technopolice.collectives.models import Collective
from technopolice.lib import markdown, opendata
from technopolice.lib.opendata import BadRequest
from technopolice.registry.models import Department

from . import actions, ical
from .forms import EventFilterForm, EventForm
from .models import Event
from .permissions import check_manage, is_event_moderator, may_manage, may_publish

PER_PAGE = 20


def _listing(request, events, template: str, extra: dict):
    form = EventFilterForm(request.GET)
    try:
        if not form.is_valid():
            raise BadRequest(form.error_message())
        page = opendata.paginate(request, form.apply(events), PER_PAGE)
    except BadRequest as error:
        context = {"message": error.message, "back_url": request.path}
        return render(request, "registry/error.html", context, status=error.status)
    page.next_url = opendata.page_url(request, page.next_page_number()) if page.has_next() else None
    page.previous_url = (
        opendata.page_url(request, page.previous_page_number()) if page.has_previous() else None
    )
    context = {"form": form, "page": page, "may_publish": may_publish(request.user), **extra}
    context["feed_url"] = _feed_url(form.cleaned_data)
    return render(request, template, context)


def _feed_url(filters: dict) -> str:
    """The feed that matches the list best: a collective's, a department's, or the site's."""
    if filters.get("collective"):
        return reverse("events:ical_collective", args=[filters["collective"].slug])
    if filters.get("department"):
        return reverse("events:ical_department", args=[filters["department"].slug])
    return reverse("events:ical")


def _events():
    return Event.objects.select_related("commune", "collective", "department")


@require_safe
def event_list(request):
    events = _events().upcoming().order_by("starts_at", "pk")
    return _listing(request, events, "events/list.html", {"archive": False})


@require_safe
def event_archive(request):
    events = _events().past().order_by("-starts_at", "-pk")
    return _listing(request, events, "events/list.html", {"archive": True})


def _visible_event(uid) -> Event:
    return get_object_or_404(_events().select_related("dossier").visible(), uid=uid)


@require_safe
def event_detail(request, uid):
    event = _visible_event(uid)
    context = {
        "event": event,
        "description": markdown.render(event.description),
        "may_manage": may_manage(request.user, event),
    }
    return render(request, "events/detail.html", context)


@require_safe
def event_ical(request, uid):
    event = _visible_event(uid)
    return ical.calendar_response(event.title, [event])


@login_required
def event_create(request):
    if not may_publish(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = actions.publish_event(form.values(), request.user)
        messages.success(request, gettext("The event is published."))
        return redirect(event)
    return _form_page(request, form, None)


@login_required
def event_edit(request, uid):
    event = get_object_or_404(
        Event.objects.select_related("commune__department", "dossier", "collective"), uid=uid
    )
    check_manage(request.user, event)
    form = EventForm(request.POST or None, user=request.user, instance=event)
    if request.method == "POST" and form.is_valid():
        actions.change_event(event, form.values())
        messages.success(request, gettext("The event is updated."))
        return redirect(event)
    return _form_page(request, form, event)


def _form_page(request, form, event):
    context = {"form": form, "event": event, "moderator": is_event_moderator(request.user)}
    return render(request, "events/form.html", context, status=400 if form.is_bound else 200)


@require_POST
@login_required
def event_cancel(request, uid):
    event = get_object_or_404(Event, uid=uid)
    check_manage(request.user, event)
    actions.cancel_event(event)
    messages.success(request, gettext("The event is marked as cancelled."))
    return redirect(event)


@require_safe
def site_feed(request):
    return ical.calendar_response(gettext("Technopolice: events"), ical.feed_events(Event.objects.all()))


@require_safe
def department_feed(request, slug):
    department = get_object_or_404(Department, slug=slug)
    name = gettext("Technopolice: events in %(place)s") % {"place": department}
    return ical.calendar_response(name, ical.feed_events(Event.objects.filter(department=department)))


@require_safe
def collective_feed(request, slug):
    collective = get_object_or_404(Collective.objects.listed(), slug=slug)
    name = gettext("Technopolice: events of %(name)s") % {"name": collective.name}
    return ical.calendar_response(name, ical.feed_events(Event.objects.filter(collective=collective)))
