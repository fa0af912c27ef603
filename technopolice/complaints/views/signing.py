"""The signing form, posted: checked, limited, stored, answered."""

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from technopolice.lib import ratelimit

from .. import actions
from ..forms import SignForm


def _closed_error(campaign) -> str:
    if not campaign.has_started():
        return _("This campaign is not open yet: come back when it opens.")
    return _("This campaign is closed: signatures are no longer collected.")


def post(request, signing: actions.Signing):
    from .campaigns import page

    campaign = signing.campaign
    form = SignForm(campaign, request.POST, signing=signing)
    if not campaign.is_open():
        return page(request, campaign, form, 403, _closed_error(campaign))
    if form.is_bot():
        # Before the limit: a robot's post, which stores nothing, must not use up the quota of the
        # people who share its address.
        return redirect("complaints:thanks", campaign.slug)
    limit = settings.COMPLAINTS_SIGNUPS_PER_VISITOR_PER_HOUR
    if not ratelimit.allow_visitor(request, "complaints-sign", limit):
        return page(
            request, campaign, form, 429, _("Too many sign-ups from your connection: try again later.")
        )
    if not form.is_valid():
        return page(request, campaign, form)
    try:
        actions.sign(form.signature())
    except actions.SignatureNotStored:
        return _changed_meanwhile(request, campaign.slug)
    return redirect("complaints:thanks", campaign.slug)


def _changed_meanwhile(request, slug):
    """The form again, against the campaign as it is now, with what the person typed."""
    from .campaigns import page, signing_of

    signing = signing_of(slug)
    form = SignForm(signing.campaign, request.POST, signing=signing)
    form.is_valid()  # what no longer holds (a grievance gone) shows next to its field
    message = _(
        "The campaign changed while you were signing and nothing was saved: check the form and send it again."
    )
    return page(request, signing.campaign, form, 409, message)
