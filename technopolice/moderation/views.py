"""The moderation queue, a proposal's review page and its decisions, and what contributors see of theirs.

Decisions are POST-only and go through moderation.actions, which publish inside one
transaction: a refused or failed acceptance leaves both the queue and the domain's data as
they were. What a proposal holds and how it is shown is its kind's business (moderation.kinds).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import actions
from .forms import QueueFilterForm, RejectForm
from .kinds import registered_kinds
from .models import Proposal, ProposalState, hash_token
from .permissions import moderator_required


@require_GET
@moderator_required
def queue(request):
    data = request.GET.copy()
    data.setdefault("state", ProposalState.PENDING)  # "state=" (empty) explicitly asks for all
    filters = QueueFilterForm(data)
    proposals = filters.filter(Proposal.objects.all()).order_by("created_at")
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "moderation/queue.html", {"filters": filters, "page": page, "query": query.urlencode()}
    )


def _review_context(proposal: Proposal, reject_form: RejectForm) -> dict:
    handler = proposal.handler
    edit_url = handler.edit_url(proposal) if handler.edit_url else None
    return {
        "proposal": proposal,
        "changes": proposal.changes(),
        "reject_form": reject_form,
        "edit_url": edit_url,
    }


@require_GET
@moderator_required
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(Proposal.objects.select_related("contributor", "decided_by"), pk=pk)
    return render(request, "moderation/proposal.html", _review_context(proposal, RejectForm()))


def _decided(request, proposal: Proposal):
    messages.error(request, _("This proposal has already been decided: nothing was changed."))
    return redirect("moderation:proposal", proposal.pk)


@require_POST
@moderator_required
def accept(request, pk: int):
    proposal = get_object_or_404(Proposal, pk=pk)
    if proposal.state != ProposalState.PENDING:
        return _decided(request, proposal)
    try:
        published = actions.accept(proposal, request.user)
    except ValidationError as error:
        messages.error(request, _("Not published: %(errors)s") % {"errors": " ".join(error.messages)})
        return redirect("moderation:proposal", proposal.pk)
    messages.success(request, _("Proposal accepted and published."))
    if hasattr(published, "get_absolute_url"):
        return redirect(published.get_absolute_url())
    return redirect("moderation:proposal", proposal.pk)


@require_POST
@moderator_required
def reject(request, pk: int):
    proposal = get_object_or_404(Proposal, pk=pk)
    if proposal.state != ProposalState.PENDING:
        return _decided(request, proposal)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return render(request, "moderation/proposal.html", _review_context(proposal, form), status=400)
    actions.reject(proposal, request.user, form.cleaned_data["reason"])
    messages.success(request, _("Proposal rejected; the contributor can read your reason."))
    return redirect("moderation:queue")


@require_GET
def follow(request, token: str):
    """The contributor's private page: state and reason, never who sent it."""
    proposal = get_object_or_404(Proposal, token_hash=hash_token(token))
    return render(request, "moderation/follow.html", {"proposal": proposal})


@require_GET
@login_required
def mine(request):
    """A signed-in contributor's own proposals, newest first: only they see this page."""
    proposals = (
        Proposal.objects.filter(contributor=request.user).prefetch_related("target").order_by("-created_at")
    )
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    forms = [kind for kind in registered_kinds() if kind.propose_url]
    return render(request, "moderation/mine.html", {"page": page, "propose_forms": forms})
