"""Held inbound emails (moderation.inbound): moderators read what no mailbox took, then discard it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import HeldMessage
from .permissions import moderator_required


@require_GET
@moderator_required
def held_list(request):
    held = HeldMessage.objects.defer("raw")
    page = Paginator(held, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/held_list.html", {"page": page})


@require_GET
@moderator_required
def held_detail(request, pk: int):
    held = get_object_or_404(HeldMessage, pk=pk)
    return render(request, "moderation/held_detail.html", {"held": held})


@require_POST
@moderator_required
def held_discard(request, pk: int):
    get_object_or_404(HeldMessage, pk=pk).delete()
    messages.success(request, _("The email was discarded."))
    return redirect("moderation:held_list")
