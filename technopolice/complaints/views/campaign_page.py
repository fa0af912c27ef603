"""A campaign's page as every view shows it: who may see a campaign (drafts: staff's preview
only), the page itself with its form, and the campaign as signing needs it. The campaign views
and the signing form's answers (signing.py) both use this module, which uses neither."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control

from .. import actions
from ..forms import SignForm
from ..models import Campaign

PREVIEW_PERMISSION = "complaints.view_campaign"


def may_see(request, campaign: Campaign) -> bool:
    """A public campaign, or a draft shown to staff who may view campaigns (their preview)."""
    if campaign.is_public:
        return True
    return request is not None and request.user.has_perm(PREVIEW_PERMISSION)


def visible_campaign(slug: str, request=None) -> Campaign:
    """A campaign that is not a draft (open, closed, scheduled, filed: its page says which);
    a draft only for staff who may preview it, and only when ``request`` says who asks."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not may_see(request, campaign):
        raise Http404
    return campaign


def page(request, campaign: Campaign, form: SignForm, status: int = 200, error: str = ""):
    """The campaign's page: its counters, argument, grievances, mandate and the form (shown
    disabled in a draft's preview)."""
    counters = actions.counters(campaign)
    grievances = list(campaign.grievances.prefetch_related("dossiers"))
    for grievance in grievances:
        grievance.confirmed_count = counters["grievances"].get(grievance.pk, 0)
    preview = not campaign.is_public
    is_open = campaign.is_open()
    context = {
        "campaign": campaign,
        "form": form,
        "mandate": form.mandate,
        "counters": counters,
        "total": counters["total"] + campaign.purged,
        "grievances": grievances,
        "unconfirmed_days": settings.COMPLAINTS_UNCONFIRMED_DAYS,
        "is_open": is_open,
        "preview": preview,
        "show_form": bool(form.mandate) and (is_open or preview),
        "news": campaign.news.exclude(sent_at=None)[:20],
        "error": error,
    }
    response = render(request, "complaints/campaign.html", context, status=status)
    if preview:  # a draft's page is for the staff member who asked, never for a shared cache
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


def signing_of(slug: str, request=None) -> actions.Signing:
    """The campaign with its mandate and grievances, as this process keeps them for a few
    seconds (actions.signing keeps drafts too: whether one may be seen is decided here)."""
    signing = actions.signing(slug)
    if signing is None or not may_see(request, signing.campaign):
        raise Http404
    return signing
