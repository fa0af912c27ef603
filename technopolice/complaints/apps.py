from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "technopolice.complaints"
    label = "complaints"
    verbose_name = _("Collective complaints")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import actions, checks  # noqa: F401  (checks registers the key checks)
        from .models import Campaign, Grievance, MandateVersion

        for model in (Campaign, Grievance, MandateVersion):
            for signal in (post_save, post_delete):
                signal.connect(
                    actions.forget_signings, sender=model, dispatch_uid=f"signing-{model.__name__}"
                )
