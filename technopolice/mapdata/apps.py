from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class MapdataConfig(AppConfig):
    name = "technopolice.mapdata"
    label = "mapdata"
    verbose_name = _("Camera map")

    def ready(self) -> None:
        from technopolice.moderation.kinds import ProposalKindHandler, register
        from technopolice.moderation.models import Proposal

        from . import actions

        register(
            ProposalKindHandler(
                kind="camera",
                label=_("camera"),
                review_template="mapdata/review_camera.html",
                apply=actions.accept_camera,
                propose_url="mapdata:propose",
            )
        )
        post_save.connect(_discard_photo_when_rejected, sender=Proposal, dispatch_uid="mapdata_discard_photo")


def _discard_photo_when_rejected(sender, instance, **kwargs) -> None:
    """A rejected camera proposal's photo is deleted: nobody will see it, and it still shows a place."""
    from technopolice.moderation.models import ProposalState

    from .actions import discard_photo

    if instance.kind == "camera" and instance.state == ProposalState.REJECTED:
        discard_photo(instance)
