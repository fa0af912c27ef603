from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS, MODERATORS


class DiscussionConfig(AppConfig):
    name = "technopolice.discussion"
    label = "discussion"
    verbose_name = _("Discussion")
    # Moderators answer flags: hide or delete a comment, restrict its author's account.
    role_permissions = {
        MODERATORS: ["discussion.moderate_comment"],
        ADMINISTRATORS: ["discussion.moderate_comment"],
    }
