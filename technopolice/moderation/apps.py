from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS, MODERATORS


class ModerationConfig(AppConfig):
    """The queue knows no domain: each domain app registers its proposal kinds (moderation.kinds)."""

    name = "technopolice.moderation"
    label = "moderation"
    verbose_name = _("Moderation")
    role_permissions = {
        MODERATORS: ["moderation.moderate_proposal"],
        ADMINISTRATORS: ["moderation.moderate_proposal", "moderation.view_proposal"],
    }
