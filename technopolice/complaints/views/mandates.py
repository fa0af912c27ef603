"""Each mandate version, public and permanent: its text, date and SHA-256 on a page of its own,
and the exact text as plain text, so that anyone can check the hash a signatory accepted
(``sha256sum``). A draft campaign's versions are seen by staff only, like the draft itself."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from ..models import MandateVersion
from .campaign_page import visible_campaign


def _version(request, slug: str, number: int) -> MandateVersion:
    campaign = visible_campaign(slug, request)
    versions = MandateVersion.objects.select_related("campaign")
    return get_object_or_404(versions, campaign=campaign, number=number)


@require_http_methods(["GET", "HEAD"])
def mandate(request, slug: str, number: int):
    version = _version(request, slug, number)
    versions = version.campaign.mandates.only("campaign", "number", "created_at", "content_hash")
    context = {"campaign": version.campaign, "mandate": version, "versions": versions}
    return render(request, "complaints/mandate.html", context)


@require_http_methods(["GET", "HEAD"])
def mandate_text(request, slug: str, number: int):
    """The bytes whose SHA-256 the page shows: the stored text, UTF-8, nothing added."""
    version = _version(request, slug, number)
    response = HttpResponse(version.text.encode(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-mandate-v{number}.txt"'
    return response
