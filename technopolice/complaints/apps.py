from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "technopolice.complaints"
    label = "complaints"
    verbose_name = _("Collective complaints")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the key checks)
