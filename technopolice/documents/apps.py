from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS


class DocumentsConfig(AppConfig):
    name = "technopolice.documents"
    label = "documents"
    verbose_name = _("Documents")
    # Administrators correct metadata in the admin; files are never edited there.
    role_permissions = {
        ADMINISTRATORS: ["documents.view_document", "documents.change_document", "documents.view_page"],
    }

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
                propose_url="documents:upload",
            )
        )
        post_save.connect(_discard_when_rejected, sender=Proposal, dispatch_uid="documents_discard_rejected")
        post_delete.connect(
            _delete_file, sender=self.get_model("Document"), dispatch_uid="documents_delete_file"
        )


def _discard_when_rejected(sender, instance, **kwargs) -> None:
    """A rejected upload is deleted: the platform keeps no unpublished file it will never show."""
    from technopolice.moderation.models import ProposalState

    from .actions import DOCUMENT_KIND, discard_rejected

    if instance.kind == DOCUMENT_KIND and instance.state == ProposalState.REJECTED:
        discard_rejected(instance)


def _delete_file(sender, instance, **kwargs) -> None:
    """A deleted document takes its file along, once the deletion is committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
