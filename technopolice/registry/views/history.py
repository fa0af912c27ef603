"""A dossier's history: every accepted change is a numbered revision anyone can read and compare.

Moderators can revert to an earlier revision; the revert is itself a new revision, so
nothing is ever lost.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from technopolice.moderation.permissions import can_moderate, moderator_required

from .. import actions
from ..diffs import diff_snapshots
from ..models import Dossier, Revision


@require_GET
def dossier_history(request, slug: str):
    dossier = get_object_or_404(Dossier, slug=slug)
    old, new = request.GET.get("old", ""), request.GET.get("new", "")
    # The no-JavaScript "compare" form; ASCII digits only, since int() refuses some digits ("²").
    if old.isascii() and old.isdigit() and new.isascii() and new.isdigit():
        return redirect("registry:dossier_diff", slug, int(old), int(new))
    revisions = dossier.revisions.select_related("moderator").order_by("-number")
    page = Paginator(revisions, 50).get_page(request.GET.get("page"))
    latest = revisions.values_list("number", flat=True).first()
    context = {"dossier": dossier, "page": page, "latest": latest, "can_moderate": can_moderate(request.user)}
    return render(request, "registry/history.html", context)


@require_GET
def dossier_diff(request, slug: str, old: int, new: int):
    dossier = get_object_or_404(Dossier, slug=slug)
    before = get_object_or_404(Revision, dossier=dossier, number=old)
    after = get_object_or_404(Revision, dossier=dossier, number=new)
    context = {
        "dossier": dossier,
        "before": before,
        "after": after,
        "changes": diff_snapshots(before.snapshot, after.snapshot),
        "can_moderate": can_moderate(request.user),
    }
    return render(request, "registry/diff.html", context)


@require_POST
@moderator_required
def dossier_revert(request, slug: str, number: int):
    dossier = get_object_or_404(Dossier, slug=slug)
    target = get_object_or_404(Revision, dossier=dossier, number=number)
    if not dossier.revisions.filter(number__gt=target.number).exists():
        messages.error(request, _("Revision %(n)s is already the current version.") % {"n": number})
        return redirect("registry:dossier_history", slug)
    try:
        revision = actions.revert_dossier(dossier, number, request.user)
    except ValidationError as error:
        # The old revision names a place or organisation that no longer exists, say.
        messages.error(request, " ".join(error.messages))
        return redirect("registry:dossier_history", slug)
    restored = {"old": number, "new": revision.number}
    messages.success(request, _("Revision %(old)s restored as revision %(new)s.") % restored)
    return redirect("registry:dossier_history", slug)
