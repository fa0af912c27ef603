"""The staff export for filing: permissioned, password again, audited."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from technopolice.lib import crypto

from .. import exports
from ..forms import ExportForm
from .campaigns import _campaign


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
