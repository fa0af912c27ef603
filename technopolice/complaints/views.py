"""Campaign pages, the signing form, the links sent by email, and the staff export.

Links in emails (confirm, withdraw, "not me") show a page with one button on GET and act
on POST: mail scanners that prefetch links must not confirm nor delete anything.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from technopolice.lib import crypto, ratelimit

from . import actions, exports, tokens
from .forms import ExportForm, SignForm
from .models import Campaign


def _campaign(slug: str) -> Campaign:
    """Any campaign, open, closed or not yet open: its page says which."""
    return get_object_or_404(Campaign, slug=slug)


@require_http_methods(["GET", "HEAD"])
def campaign_list(request):
    campaigns = Campaign.objects.all()
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(request, "complaints/campaign_list.html", {"page": page, "now": timezone.now()})


def _page(request, campaign: Campaign, form: SignForm, status: int = 200, error: str = ""):
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


def _closed_error(campaign: Campaign) -> str:
    if not campaign.has_started():
        return _("This campaign is not open yet: come back when it opens.")
    return _("This campaign is closed: signatures are no longer collected.")


def _signing(slug: str) -> actions.Signing:
    """The campaign with its mandate and grievances, as this process keeps them for a few seconds."""
    signing = actions.signing(slug)
    if signing is None:
        raise Http404
    return signing


@require_http_methods(["GET", "HEAD", "POST"])
def campaign(request, slug):
    signing = _signing(slug)
    campaign = signing.campaign
    if request.method != "POST":
        return _page(request, campaign, SignForm(campaign, signing=signing))
    form = SignForm(campaign, request.POST, signing=signing)
    if not campaign.is_open():
        return _page(request, campaign, form, 403, _closed_error(campaign))
    if form.is_bot():
        # Before the limit: a robot's post, which stores nothing, must not use up the quota of the
        # people who share its address.
        return redirect("complaints:thanks", campaign.slug)
    limit = settings.COMPLAINTS_SIGNUPS_PER_VISITOR_PER_HOUR
    if not ratelimit.allow_visitor(request, "complaints-sign", limit):
        return _page(
            request, campaign, form, 429, _("Too many sign-ups from your connection: try again later.")
        )
    if not form.is_valid():
        return _page(request, campaign, form)
    try:
        actions.sign(form.signature())
    except actions.SignatureNotStored:
        return _changed_meanwhile(request, slug)
    return redirect("complaints:thanks", campaign.slug)


def _changed_meanwhile(request, slug):
    """The form again, against the campaign as it is now, with what the person typed."""
    signing = _signing(slug)
    form = SignForm(signing.campaign, request.POST, signing=signing)
    form.is_valid()  # what no longer holds (a grievance gone) shows next to its field
    message = _(
        "The campaign changed while you were signing and nothing was saved: check the form and send it again."
    )
    return _page(request, signing.campaign, form, 409, message)


@require_http_methods(["GET", "HEAD"])
def thanks(request, slug):
    return render(request, "complaints/thanks.html", {"campaign": _campaign(slug)})


def _invalid_link(request):
    return render(request, "complaints/invalid_link.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    signatory = tokens.pending_by_token(token)
    if signatory is None:
        return _invalid_link(request)
    if request.method != "POST":
        return render(request, "complaints/link.html", {"campaign": signatory.campaign, "action": "confirm"})
    if actions.confirm(token) is None:
        return _invalid_link(request)
    return render(request, "complaints/done.html", {"campaign": signatory.campaign, "action": "confirm"})


def _deleting_link(request, token: str, action: str, verb):
    signatory = tokens.by_withdraw_token(token)
    if signatory is None:
        return _invalid_link(request)
    campaign = signatory.campaign
    if request.method != "POST":
        return render(request, "complaints/link.html", {"campaign": campaign, "action": action})
    verb(signatory)
    return render(request, "complaints/done.html", {"campaign": campaign, "action": action})


@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request, token):
    return _deleting_link(request, token, "withdraw", actions.withdraw)


@require_http_methods(["GET", "HEAD", "POST"])
def not_me(request, token):
    return _deleting_link(request, token, "not_me", actions.not_me)


# Exporters are staff who reach this page from the campaign's admin (admin.CampaignAdmin.export_link):
# a signed-out one is sent back to the admin's login rather than the site's (LOGIN_URL, accounts:login).
@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def export(request, slug):
    if not request.user.has_perm("complaints.export_signatories"):
        raise PermissionDenied
    campaign = _campaign(slug)
    form = ExportForm(campaign, request.user, request.POST or None)
    if request.method != "POST" or not form.is_valid():
        status = 429 if form.has_error("password", "throttled") else 200
        return render(request, "complaints/export.html", {"campaign": campaign, "form": form}, status=status)
    fmt = form.cleaned_data["file_format"]
    try:
        content, _rows = exports.export(campaign, request.user, form.cleaned_data["grievance"], fmt)
    except crypto.CryptoError:
        # Keys that are not the ones the names were sealed with (a restore without the backup's
        # environment file): say what to restore. The export's transaction logged nothing.
        form.add_error(
            None,
            _(
                "The signatories cannot be read with this server's keys (COMPLAINTS_KEYS): restore the "
                "keys kept with the backup. No file was made."
            ),
        )
        return render(request, "complaints/export.html", {"campaign": campaign, "form": form}, status=503)
    response = HttpResponse(content, content_type="text/csv" if fmt == "csv" else "application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
