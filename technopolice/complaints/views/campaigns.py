"""The list of campaigns and a campaign's page with its signing form.

The public sees every campaign but drafts: a draft is a 404, absent from the list. Staff who may
view campaigns (``complaints.view_campaign``) see a draft at its own address, as it will look,
under a "Preview: not public" banner and with the form disabled; nothing can be signed in it.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import lifecycle
from ..forms import SignForm
from ..models import CampaignState
from . import signing as signing_views
from .campaign_page import page, signing_of, visible_campaign


@require_http_methods(["GET", "HEAD"])
def campaign_list(request):
    """Every public campaign with its state, filtered by state if asked (``?state=open``; an
    unknown state is ignored, like a missing one)."""
    now = timezone.now()
    state = request.GET.get("state", "")
    campaigns = lifecycle.public_campaigns()
    if state in lifecycle.PUBLIC_STATES:
        campaigns = campaigns.filter(lifecycle.in_state(state, now))
    else:
        state = ""
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    states = [(s.value, s.label) for s in lifecycle.PUBLIC_STATES]
    context = {"page": page, "now": now, "state": state, "states": states}
    return render(request, "complaints/campaign_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def campaign(request, slug):
    signing = signing_of(slug, request)
    if request.method == "POST":
        if signing.campaign.state == CampaignState.DRAFT:
            form = SignForm(signing.campaign, request.POST, signing=signing)
            message = _("This is a preview: nothing can be signed before the campaign is published.")
            return page(request, signing.campaign, form, 403, message)
        return signing_views.post(request, signing)
    return page(request, signing.campaign, SignForm(signing.campaign, signing=signing))


@require_http_methods(["GET", "HEAD"])
def thanks(request, slug):
    return render(request, "complaints/thanks.html", {"campaign": visible_campaign(slug, request)})
