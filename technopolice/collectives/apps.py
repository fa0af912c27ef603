from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from technopolice.accounts.roles import ADMINISTRATORS, MODERATORS


class CollectivesConfig(AppConfig):
    name = "technopolice.collectives"
    label = "collectives"
    verbose_name = _("Collectives")
    # A collective is listed by a moderator through the queue and run by its organisers on the
    # site; moderators may also mark one dormant or unlist it, and read held relay messages.
    role_permissions = {
        MODERATORS: [
            "collectives.view_collective",
            "collectives.change_collective",
            "collectives.view_conversation",
        ],
        ADMINISTRATORS: [
            "collectives.view_collective",
            "collectives.change_collective",
            "collectives.view_membership",
        ],
    }

    def ready(self):
        from technopolice.moderation.inbound import register_mailbox

        from . import relay

        # Answers to relay+<token>@RELAY_DOMAIN, piped in by the mail server (receive_email).
        register_mailbox("relay", relay.receive_reply)
        self._register_collective_kind()
        self._register_subject_kind()

    def _register_collective_kind(self) -> None:
        # A collective waits in the moderation queue to be listed; a closed account leaves no
        # membership behind (accounts.deletion.account_closing).
        from technopolice.accounts.deletion import account_closing
        from technopolice.moderation.kinds import register

        from .actions import forget_account
        from .proposals import COLLECTIVE_KIND

        register(COLLECTIVE_KIND)
        account_closing.connect(forget_account, dispatch_uid="collectives_forget_account")

    def _register_subject_kind(self) -> None:
        # Feeds and follows name a collective only once it is listed.
        from technopolice.activity.subjects import SubjectKind, register_kind

        register_kind(SubjectKind("collective", _("collective"), _listed_collectives))


def _listed_collectives(pks: list[int]) -> dict:
    from .models import Collective

    return Collective.objects.listed().in_bulk(pks)
