"""The "dossier" kind of the moderation queue: how a proposed dossier is reviewed and published.

Registered by moderation's AppConfig.ready(). The payload is a snapshot
(registry.snapshots); accepting it calls registry.actions.publish_dossier, so an
accepted proposal becomes a revision vouched for by the moderator.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from technopolice.moderation.kinds import ProposalKindHandler

from . import actions


def apply(proposal, moderator):
    summary = _("Accepted proposal #%(pk)s") % {"pk": proposal.pk}
    dossier = actions.publish_dossier(proposal.payload, moderator, dossier=proposal.dossier, summary=summary)
    proposal.dossier = dossier  # a new dossier: the follow-up page can now link to it
    return dossier


def edit_url(proposal) -> str:
    return reverse("registry:proposal_edit", args=[proposal.pk])


DOSSIER_KIND = ProposalKindHandler(
    kind="dossier",
    label=_lazy("dossier"),
    review_template="registry/propose_review.html",
    apply=apply,
    edit_url=edit_url,
)
