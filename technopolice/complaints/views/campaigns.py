"""The list of campaigns and a campaign's page with its signing form.

The public sees every campaign but drafts: a draft is a 404, absent from the list. Staff who may
view campaigns (``complaints.view_campaign``) see a draft at its own address, as it will look,
under a "Preview: not public" banner and with the form disabled; nothing can be signed in it.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import actions, lifecycle
from ..forms import SignForm
from ..models import Campaign, CampaignState
from . import signing as signing_views

PREVIEW_PERMISSION = "complaints.view_campaign"


def may_see(request, campaign: Campaign) -> bool:
    """A public campaign, or a draft shown to staff who may view campaigns (their preview)."""
    if campaign.is_public:
        return True
    return request is not None and request.user.has_perm(PREVIEW_PERMISSION)


def _campaign(slug: str, request=None) -> Campaign:
    """A campaign that is not a draft (open, closed, scheduled, filed: its page says which);
    a draft only for staff who may preview it, and only when ``request`` says who asks."""
    campaign = get_object_or_404(Campaign, slug=slug)
    if not may_see(request, campaign):
        raise Http404
    return campaign


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
    return render(request, "complaints/thanks.html", {"campaign": _campaign(slug, request)})
