from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS


class ComplaintsConfig(AppConfig):
    name = "technopolice.complaints"
    label = "complaints"
    verbose_name = _("Collective complaints")
    role_permissions = {
        ADMINISTRATORS: [
            # Campaigns and grievances are written in the admin; mandate versions are made by
            # the campaign form, never edited; the export log is only read.
            "complaints.add_campaign",
            "complaints.change_campaign",
            "complaints.view_campaign",
            "complaints.add_grievance",
            "complaints.change_grievance",
            "complaints.delete_grievance",
            "complaints.view_grievance",
            "complaints.view_mandateversion",
            "complaints.view_exportlog",
            # News to the signatories who asked for them: written, sent once, never edited after.
            "complaints.add_campaignnews",
            "complaints.change_campaignnews",
            "complaints.view_campaignnews",
            # Reading people's identities to file the complaint: administrators only, nobody else by default.
            "complaints.export_signatories",
        ],
    }

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import actions, checks  # noqa: F401  (checks registers the key checks)
        from .models import Campaign, Grievance, MandateVersion

        for model in (Campaign, Grievance, MandateVersion):
            for signal in (post_save, post_delete):
                signal.connect(
                    actions.forget_signings, sender=model, dispatch_uid=f"signing-{model.__name__}"
                )
