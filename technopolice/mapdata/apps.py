from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapdataConfig(AppConfig):
    name = "technopolice.mapdata"
    label = "mapdata"
    verbose_name = _("Camera map")

    def ready(self) -> None:
        from technopolice.moderation.kinds import ProposalKindHandler, register

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
