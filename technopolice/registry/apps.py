from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "technopolice.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import reference
        from .models import Department, Region, Technology

        for model in (Technology, Region, Department):
            for signal in (post_save, post_delete):
                signal.connect(reference.forget, sender=model, dispatch_uid=f"reference_{model.__name__}")
