from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _

from technopolice.following import tasks
from technopolice.lib.commands import TranslatedCommand


class Command(TranslatedCommand):
    help = _(
        "Queue the email digests of one rhythm for the task worker: each person whose last digest "
        "is old enough and who follows something hears what happened since. Run it daily with "
        "--frequency daily and weekly with --frequency weekly (systemd timers, docs/production.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, help="daily or weekly")

    def handle(self, frequency, **options):
        if frequency not in tasks.PERIODS:
            raise CommandError(_("--frequency must be daily or weekly."))
        result = tasks.send_digests.enqueue(frequency)
        self.stdout.write(
            _("Queued the %(frequency)s digests (task %(id)s).") % {"frequency": frequency, "id": result.id}
        )
