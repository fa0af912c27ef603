from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS


class RegistryConfig(AppConfig):
    name = "technopolice.registry"
    label = "registry"
    verbose_name = _("Registry")
    # Administrators edit the taxonomy and organisations in the admin; dossiers change only
    # through proposals and revisions, so the admin only shows them.
    role_permissions = {
        ADMINISTRATORS: [
            "registry.add_technology",
            "registry.change_technology",
            "registry.view_technology",
            "registry.add_organisation",
            "registry.change_organisation",
            "registry.view_organisation",
            "registry.add_organisationlink",
            "registry.change_organisationlink",
            "registry.delete_organisationlink",
            "registry.view_organisationlink",
            "registry.view_dossier",
            "registry.view_source",
            "registry.view_event",
            "registry.view_revision",
            "registry.view_commune",
            "registry.view_department",
            "registry.view_region",
        ],
    }

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from technopolice.moderation.kinds import register

        from . import activity, reference
        from .models import Department, Region, Technology
        from .proposals import DOSSIER_KIND

        register(DOSSIER_KIND)
        activity.register_kinds()
        for model in (Technology, Region, Department):
            for signal in (post_save, post_delete):
                signal.connect(reference.forget, sender=model, dispatch_uid=f"reference_{model.__name__}")
