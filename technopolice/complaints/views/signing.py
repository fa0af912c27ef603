"""The signing form, posted: checked, limited, stored, answered.

Why the limits are what they are: a launch is shared on mobile networks (carrier-grade NAT),
campuses and meeting Wi-Fi, where hundreds of honest people leave by one network address. A
tight limit per address turns them away. Abuse is priced instead by the proof of work (ALTCHA,
lib/altcha.py): the page carries a challenge that the browser solves while the person signs, and
a post with a solved, never used solution is *proved*.

- A proved sign-up meets only a per-address ceiling that a launch never reaches
  (COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR): each one cost its sender real work.
- An unproved one (JavaScript off, a robot, a replayed solution) meets a tight per-address limit
  (COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR), so a person without JavaScript can still
  sign while a robot posting as fast as it can trickles; and a ceiling per campaign
  (COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR), so robots rotating addresses cannot flood
  the mail server with confirmation emails.
- Whatever the proof, one email address receives at most COMPLAINTS_RESENDS_PER_HOUR emails
  (actions.sign).

Only valid forms count: a form sent back for correction uses up nothing, and neither does a
sign-up that was not stored. A refusal shows the page again with what the person typed, says
what happened and in how many minutes to try again.
"""

import math

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from technopolice.lib import ratelimit

from .. import actions
from ..forms import SignForm
from .campaign_page import page, signing_of


class Refused(Exception):
    """A limit is reached: nothing was counted, ``message`` tells the person why and when."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _closed_error(campaign) -> str:
    if not campaign.has_started():
        return _("This campaign is not open yet: come back when it opens.")
    return _("This campaign is closed: signatures are no longer collected.")


def post(request, signing: actions.Signing):
    campaign = signing.campaign
    form = SignForm(campaign, request.POST, signing=signing)
    if not campaign.is_open():
        return page(request, campaign, form, 403, _closed_error(campaign))
    if form.is_bot():
        # A robot's post stores nothing and sends nothing: it uses up nobody's quota.
        return redirect("complaints:thanks", campaign.slug)
    if not form.is_valid():
        return page(request, campaign, form)
    try:
        slots = take_limits(request, campaign, proved=form.proved)
    except Refused as refusal:
        response = page(request, campaign, form, 429, refusal.message)
        response["Retry-After"] = str(ratelimit.seconds_left())
        return response
    try:
        actions.sign(form.signature())
    except actions.SignatureNotStored:
        for slot in slots:
            ratelimit.give_back(slot)
        return _changed_meanwhile(request, campaign.slug)
    return redirect("complaints:thanks", campaign.slug)


def take_limits(request, campaign, proved: bool) -> list[str]:
    """Count one valid sign-up against the limits that apply to it; the counters' keys, to give
    back if nothing is stored. Raises Refused, with nothing counted, once a limit is reached."""
    visitor = ratelimit.visitor_key(request)
    if proved:
        limits = [
            (
                "complaints-sign-proved",
                visitor,
                settings.COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR,
                _TOO_MANY_FROM_CONNECTION,
            )
        ]
    else:
        limits = [
            (
                "complaints-sign-unproved",
                visitor,
                settings.COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR,
                _TOO_MANY_UNPROVED_FROM_CONNECTION,
            ),
            (
                "complaints-sign-unproved-campaign",
                str(campaign.pk),
                settings.COMPLAINTS_UNPROVED_SIGNUPS_PER_CAMPAIGN_PER_HOUR,
                _TOO_MANY_UNPROVED_ON_CAMPAIGN,
            ),
        ]
    taken, refused = ratelimit.take_all([(scope, key, limit) for scope, key, limit, _message in limits])
    if refused is not None:
        raise Refused(limits[refused][3] % {"minutes": _minutes_left()})
    return taken


def _minutes_left() -> int:
    return max(1, math.ceil(ratelimit.seconds_left() / 60))


_TOO_MANY_FROM_CONNECTION = ngettext_lazy(
    "Too many sign-ups came from your connection this hour, and nothing was saved. "
    "Send the form again in %(minutes)d minute.",
    "Too many sign-ups came from your connection this hour, and nothing was saved. "
    "Send the form again in %(minutes)d minutes.",
    "minutes",
)
_TOO_MANY_UNPROVED_FROM_CONNECTION = ngettext_lazy(
    "Too many sign-ups without the anti-robot check came from your connection this hour, "
    "and nothing was saved. Send the form again in %(minutes)d minute, or now with "
    "JavaScript turned on: the page then runs the check by itself.",
    "Too many sign-ups without the anti-robot check came from your connection this hour, "
    "and nothing was saved. Send the form again in %(minutes)d minutes, or now with "
    "JavaScript turned on: the page then runs the check by itself.",
    "minutes",
)
_TOO_MANY_UNPROVED_ON_CAMPAIGN = ngettext_lazy(
    "This campaign is receiving too many sign-ups without the anti-robot check this hour, "
    "and nothing was saved. Send the form again in %(minutes)d minute, or now with "
    "JavaScript turned on: the page then runs the check by itself.",
    "This campaign is receiving too many sign-ups without the anti-robot check this hour, "
    "and nothing was saved. Send the form again in %(minutes)d minutes, or now with "
    "JavaScript turned on: the page then runs the check by itself.",
    "minutes",
)


def _changed_meanwhile(request, slug):
    """The form again, against the campaign as it is now, with what the person typed."""
    signing = signing_of(slug)
    form = SignForm(signing.campaign, request.POST, signing=signing)
    form.is_valid()  # what no longer holds (a grievance gone) shows next to its field
    message = _(
        "The campaign changed while you were signing and nothing was saved: check the form and send it again."
    )
    return page(request, signing.campaign, form, 409, message)
