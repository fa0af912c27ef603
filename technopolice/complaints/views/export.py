"""The staff export for filing: permissioned, password again, the organiser's key, audited.

The private key comes in the request (a file or pasted) and lives only in this request's memory:
the upload handler keeps files in memory (lib.uploads), the key is neither logged (sensitive
POST parameters), stored, put in the session, nor shown back in the page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from technopolice.lib.uploads import memory_only

from .. import exports
from ..forms import KEY_FILE_MAX_BYTES, ExportForm
from ..models import Campaign


# Exporters are staff who reach this page from the campaign's admin (admin.CampaignAdmin.export_link):
# a signed-out one is sent back to the admin's login rather than the site's (LOGIN_URL, accounts:login).
# The upload handlers are swapped before the CSRF check reads POST: csrf_exempt outside,
# csrf_protect inside (lib.uploads).
@csrf_exempt
@login_required(login_url="admin:login")
@require_http_methods(["GET", "POST"])
def export(request, slug):
    if not request.user.has_perm("complaints.export_signatories"):
        raise PermissionDenied
    memory_only(request, max_bytes=KEY_FILE_MAX_BYTES)
    return _export(request, slug)


@csrf_protect
@sensitive_post_parameters("password", "key_text")
@sensitive_variables("form", "private_key")
def _export(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)  # staff's page: a draft too (it has no signatory)
    form = ExportForm(campaign, request.user, request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        status = 429 if form.has_error("password", "throttled") else 200 if request.method != "POST" else 400
        return _page(request, campaign, form, status)
    private_key = form.cleaned_data["private_key"]
    try:
        made = exports.export(campaign, request.user, private_key, form.cleaned_data["grievance"])
    except exports.ExportRefused as refused:
        form.add_error(None, str(refused))  # the export's transaction logged nothing
        return _page(request, campaign, form, 422)
    response = HttpResponse(made.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{made.filename(campaign)}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request, campaign, form, status):
    return render(request, "complaints/export.html", {"campaign": campaign, "form": form}, status=status)
