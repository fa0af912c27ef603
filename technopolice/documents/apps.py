from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "technopolice.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from technopolice.moderation.kinds import ProposalKindHandler, register
        from technopolice.moderation.models import Proposal

        from . import actions

        register(
            ProposalKindHandler(
                kind=actions.DOCUMENT_KIND,
                label=_("document"),
                review_template="documents/review.html",
                apply=actions.accept,
            )
        )
        post_save.connect(_discard_when_rejected, sender=Proposal, dispatch_uid="documents_discard_rejected")


def _discard_when_rejected(sender, instance, **kwargs) -> None:
    """A rejected upload is deleted: the platform keeps no unpublished file it will never show."""
    from technopolice.moderation.models import ProposalState

    from .actions import DOCUMENT_KIND, discard_rejected

    if instance.kind == DOCUMENT_KIND and instance.state == ProposalState.REJECTED:
        discard_rejected(instance)
