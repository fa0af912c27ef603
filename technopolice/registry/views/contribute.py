"""Proposing a dossier or an edit, as anyone; and editing a proposal before accepting it, as a moderator.

Nothing here publishes: a proposal waits in the moderation queue. Public forms carry
two spam traps (a honeypot field and the ALTCHA proof of work) and a rate limit keyed
by a daily-rotating hash, never by an address. Visitors without JavaScript cannot solve
the proof of work: they may still contribute, under a stricter limit, flagged for the
moderators.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from technopolice.lib import altcha
from technopolice.lib.ratelimit import allow_visitor
from technopolice.moderation import actions as moderation
from technopolice.moderation.models import Proposal, ProposalState
from technopolice.moderation.permissions import moderator_required

from .. import snapshots
from ..forms import DossierProposal, ProposalExtrasForm
from ..models import Dossier

TOKEN_SESSION_KEY = "proposal_follow_token"  # noqa: S105 - a session key name, not a secret


@require_http_methods(["GET", "POST"])
def propose(request):
    return _proposal_page(request, dossier=None)


@require_http_methods(["GET", "POST"])
def propose_edit(request, slug: str):
    return _proposal_page(request, dossier=get_object_or_404(Dossier, slug=slug))


def _proposal_page(request, dossier: Dossier | None):
    base = snapshots.snapshot(dossier) if dossier else {}
    form = DossierProposal(request.POST if request.method == "POST" else None, initial=base)
    extras = ProposalExtrasForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if extras.data.get("website"):
            return render(request, "registry/propose_refused.html", status=400)
        if form.is_valid() & extras.is_valid():
            return _submit(request, form, extras, dossier, base)
    context = {"form": form, "extras": extras, "dossier": dossier, "challenge": altcha.new_challenge()}
    return render(request, "registry/propose.html", context)


def _submit(request, form: DossierProposal, extras: ProposalExtrasForm, dossier, base: dict):
    payload = form.payload()
    if dossier and payload == base:
        form.dossier.add_error(None, _("This proposal changes nothing in the dossier."))
        context = {"form": form, "extras": extras, "dossier": dossier, "challenge": altcha.new_challenge()}
        return render(request, "registry/propose.html", context)
    proved = altcha.verify(extras.cleaned_data["altcha"])
    if not _within_limits(request, proved):
        return render(request, "429.html", status=429)
    _proposal, token = moderation.submit(
        "dossier",
        payload,
        contributor=request.user,
        target=dossier,
        message=extras.cleaned_data["message"],
        without_proof_of_work=not proved,
    )
    request.session[TOKEN_SESSION_KEY] = token
    return redirect("registry:proposal_sent")


def _within_limits(request, proved: bool) -> bool:
    """Every proposal counts toward the normal limit; without proof of work, also toward the strict one."""
    if not allow_visitor(request, "proposals", settings.RATELIMIT_PROPOSALS_PER_HOUR):
        return False
    return proved or allow_visitor(
        request, "proposals-noscript", settings.RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR
    )


def proposal_sent(request):
    """Shows the private follow-up link once.

    The proposal stores only the token's hash; the token itself waits in the session for
    the one redirect after sending and is removed as soon as this page shows it.
    """
    token = request.session.pop(TOKEN_SESSION_KEY, None)
    follow_url = request.build_absolute_uri(reverse("moderation:follow", args=[token])) if token else None
    return render(request, "registry/propose_sent.html", {"follow_url": follow_url})


@moderator_required
@require_http_methods(["GET", "POST"])
def moderate_edit(request, pk: int):
    """A moderator corrects a proposal in the contributor's form, then accepts it in one step."""
    proposal = get_object_or_404(Proposal, pk=pk, kind="dossier")
    if proposal.state != ProposalState.PENDING:
        messages.error(request, _("This proposal has already been decided."))
        return redirect("moderation:proposal", proposal.pk)
    form = DossierProposal(request.POST if request.method == "POST" else None, initial=proposal.payload)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = moderation.accept(proposal, request.user, payload=form.payload())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Proposal accepted and published."))
            return redirect(dossier.get_absolute_url())
    return render(request, "registry/propose_moderate.html", {"form": form, "proposal": proposal})
