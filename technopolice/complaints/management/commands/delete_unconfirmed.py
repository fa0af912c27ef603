from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from technopolice.complaints import actions


class Command(BaseCommand):
    help = (
        "Delete sign-ups never confirmed after COMPLAINTS_UNCONFIRMED_DAYS days (or --days). "
        "Run it daily (cron or systemd timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override COMPLAINTS_UNCONFIRMED_DAYS.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, days, dry_run, **options):
        days = settings.COMPLAINTS_UNCONFIRMED_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = actions.delete_unconfirmed(days, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {count} unconfirmed sign-ups older than {days} days.")
