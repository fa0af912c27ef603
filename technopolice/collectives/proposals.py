"""The "collective" kind of the moderation queue: a collective waits there to be listed.

Registered by CollectivesConfig.ready(). Unlike a dossier, the collective exists before it is
moderated (its organisers run it and edit it while it waits): the payload only names it.
Accepting lists it; rejecting marks it refused, so it never reaches the directory. A
moderator may edit it before deciding, on the organisers' own edit page.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from technopolice.moderation.kinds import ProposalKindHandler

from . import actions
from .models import Collective


def collective_of(proposal) -> Collective | None:
    return Collective.objects.filter(pk=proposal.payload.get("collective")).first()


def apply(proposal, moderator) -> Collective:
    return actions.list_collective(proposal.payload["collective"])


def reject(proposal, moderator) -> None:
    actions.refuse_collective(proposal.payload["collective"])


def edit_url(proposal) -> str:
    collective = collective_of(proposal)
    return reverse("collectives:edit", args=[collective.slug]) if collective else ""


COLLECTIVE_KIND = ProposalKindHandler(
    kind=actions.KIND,
    label=_("collective"),
    review_template="collectives/review_collective.html",
    apply=apply,
    reject=reject,
    edit_url=edit_url,
    propose_url="collectives:create",
)
