"""Verbs of the moderation queue: submit, accept, reject. Views, domain apps and tests go through these."""

from django.db import transaction

from .models import Proposal, ProposalState


def submit(
    kind: str,
    payload: dict,
    *,
    contributor=None,
    target=None,
    message: str = "",
    without_proof_of_work=False,
):
    """Queue a proposal and return it with its private follow-up token (shown once, stored hashed).

    ``target`` is the public object an edit changes (None for something new).
    ``contributor`` is None for anonymous visitors: nothing else about them is kept.
    """
    proposal = Proposal(
        kind=kind,
        payload=payload,
        target=target,
        message=message,
        contributor=contributor if contributor and contributor.is_authenticated else None,
        without_proof_of_work=without_proof_of_work,
    )
    token = proposal.issue_token()
    proposal.save()
    return proposal, token


def _locked(proposal: Proposal) -> Proposal:
    # Two moderators clicking at once: the second waits, then sees the proposal decided.
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def accept(proposal: Proposal, moderator, payload: dict | None = None):
    """Publish the proposal through its kind's handler; on any refusal nothing changes.

    ``payload`` replaces the proposed content when the moderator edited it before accepting.
    What the handler publishes becomes the proposal's target, so the contributor's follow-up
    page links to it. Raises ValidationError (already decided, or the handler refuses).
    """
    proposal = _locked(proposal)
    if payload is not None:
        proposal.payload = payload
    proposal.decide(ProposalState.ACCEPTED, moderator)
    published = proposal.handler.apply(proposal, moderator)
    proposal.target = published
    proposal.save()
    return published


@transaction.atomic
def reject(proposal: Proposal, moderator, reason: str) -> Proposal:
    """Refuse the proposal with a reason its contributor will read; nothing is published.

    The kind's ``reject`` hook, if any, runs in the same transaction: if it fails, the
    proposal stays pending."""
    proposal = _locked(proposal)
    proposal.decide(ProposalState.REJECTED, moderator, reason)
    proposal.save()
    if proposal.handler.reject is not None:
        proposal.handler.reject(proposal, moderator)
    return proposal
