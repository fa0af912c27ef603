"""The "dossier" kind of the moderation queue: how a proposed dossier is reviewed and published.

Registered by the registry's AppConfig.ready(). The payload is a snapshot
(registry.snapshots); the target of an edit is the dossier it changes. Accepting calls
registry.actions.publish_dossier, so an accepted proposal becomes a revision vouched for by
the moderator.
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from technopolice.moderation.kinds import ProposalKindHandler

from . import actions, snapshots
from .diffs import diff_snapshots


def apply(proposal, moderator):
    summary = gettext("Accepted proposal #%(pk)s") % {"pk": proposal.pk}
    return actions.publish_dossier(proposal.payload, moderator, dossier=proposal.target, summary=summary)


def edit_url(proposal) -> str:
    return reverse("registry:proposal_edit", args=[proposal.pk])


def changes(proposal):
    """What a pending edit would change in the dossier as it is now."""
    return diff_snapshots(snapshots.snapshot(proposal.target), proposal.payload)


DOSSIER_KIND = ProposalKindHandler(
    kind="dossier",
    label=_("dossier"),
    review_template="registry/propose_review.html",
    apply=apply,
    edit_url=edit_url,
    changes=changes,
    changes_template="registry/propose_changes.html",
    propose_url="registry:dossier_propose",
)
