"""Writing to a collective: the public form, its limits, and the page that says it was sent.

Spam traps as on the other public forms: a honeypot, the ALTCHA proof of work, and rate limits
keyed by a daily-rotating hash of the visitor's address (never the address): per visitor, per
collective (robots rotating addresses cannot flood its organisers), and a stricter one per
visitor without the proof of work. Only valid forms count.
"""

import math

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from technopolice.lib import ratelimit

from .. import relay
from ..models import Collective
from ..relay_forms import ContactForm


def _page(request, collective, form, status: int = 200, refusal: str = ""):
    context = {"collective": collective, "form": form, "refusal": refusal}
    return render(request, "collectives/contact.html", context, status=status)


@require_http_methods(["GET", "POST"])
def contact(request, slug: str):
    collective = get_object_or_404(Collective.objects.listed(), slug=slug)
    if not relay.accepts_messages(collective):
        status = 403 if request.method == "POST" else 200
        return render(request, "collectives/contact_closed.html", {"collective": collective}, status=status)
    if request.method == "GET":
        return _page(request, collective, ContactForm())
    form = ContactForm(request.POST)
    if form.is_bot():
        return redirect("collectives:contact_sent", collective.slug)  # stores and sends nothing
    if not form.is_valid():
        return _page(request, collective, form, 400)
    refusal = _take_limits(request, collective, form.proved)
    if refusal:
        response = _page(request, collective, form, 429, refusal)
        response["Retry-After"] = str(ratelimit.seconds_left())
        return response
    data = form.cleaned_data
    relay.write(
        collective,
        name=data["name"],
        email=data["email"],
        subject=data["subject"],
        body=data["message"],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    return redirect("collectives:contact_sent", collective.slug)


def _take_limits(request, collective, proved: bool) -> str:
    """Count this message against its limits; the refusal to show ("" when none), nothing counted."""
    visitor = ratelimit.visitor_key(request)
    limits = [
        ("relay-visitor", visitor, settings.RELAY_MESSAGES_PER_VISITOR_PER_HOUR, _too_many_from_you),
        (
            "relay-collective",
            str(collective.pk),
            settings.RELAY_MESSAGES_PER_COLLECTIVE_PER_HOUR,
            _too_many_here,
        ),
    ]
    if not proved:
        limits.append(
            ("relay-noscript", visitor, settings.RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR, _too_many_from_you)
        )
    _taken, refused = ratelimit.take_all([(scope, key, limit) for scope, key, limit, _message in limits])
    if refused is None:
        return ""
    return limits[refused][3](max(1, math.ceil(ratelimit.seconds_left() / 60)))


def _too_many_from_you(minutes: int) -> str:
    return ngettext(
        "Too many messages came from your connection this hour, and this one was not sent. "
        "Send it again in %(minutes)d minute.",
        "Too many messages came from your connection this hour, and this one was not sent. "
        "Send it again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _too_many_here(minutes: int) -> str:
    return ngettext(
        "This collective has received too many messages this hour, and yours was not sent. "
        "Send it again in %(minutes)d minute.",
        "This collective has received too many messages this hour, and yours was not sent. "
        "Send it again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


@require_GET
def contact_sent(request, slug: str):
    collective = get_object_or_404(Collective.objects.listed(), slug=slug)
    return render(request, "collectives/contact_sent.html", {"collective": collective})
