"""The list of campaigns and a campaign's page with its signing form."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import actions
from ..forms import SignForm
from ..models import Campaign
from . import signing as signing_views


def _campaign(slug: str) -> Campaign:
    """Any campaign, open, closed or not yet open: its page says which."""
    return get_object_or_404(Campaign, slug=slug)


@require_http_methods(["GET", "HEAD"])
def campaign_list(request):
    campaigns = Campaign.objects.all()
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(request, "complaints/campaign_list.html", {"page": page, "now": timezone.now()})


def page(request, campaign: Campaign, form: SignForm, status: int = 200, error: str = ""):
    """The campaign's page: its counters, argument, grievances, mandate and the form."""
    counters = actions.counters(campaign)
    grievances = list(campaign.grievances.prefetch_related("dossiers"))
    for grievance in grievances:
        grievance.confirmed_count = counters["grievances"].get(grievance.pk, 0)
    context = {
        "campaign": campaign,
        "form": form,
        "mandate": form.mandate,
        "counters": counters,
        "total": counters["total"] + campaign.purged,
        "grievances": grievances,
        "unconfirmed_days": settings.COMPLAINTS_UNCONFIRMED_DAYS,
        "is_open": campaign.is_open(),
        "error": error,
    }
    return render(request, "complaints/campaign.html", context, status=status)


def signing_of(slug: str) -> actions.Signing:
    """The campaign with its mandate and grievances, as this process keeps them for a few seconds."""
    signing = actions.signing(slug)
    if signing is None:
        raise Http404
    return signing


@require_http_methods(["GET", "HEAD", "POST"])
def campaign(request, slug):
    signing = signing_of(slug)
    if request.method == "POST":
        return signing_views.post(request, signing)
    return page(request, signing.campaign, SignForm(signing.campaign, signing=signing))


@require_http_methods(["GET", "HEAD"])
def thanks(request, slug):
    return render(request, "complaints/thanks.html", {"campaign": _campaign(slug)})
