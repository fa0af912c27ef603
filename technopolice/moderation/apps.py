from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "technopolice.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from technopolice.registry.proposals import DOSSIER_KIND

        from .kinds import register

        register(DOSSIER_KIND)
