from django.core.management.base import BaseCommand, CommandError

from technopolice.complaints import actions
from technopolice.complaints.models import Campaign


class Command(BaseCommand):
    help = (
        "Delete every signatory's personal data of campaign SLUG once its declared retention period "
        "(closing date + retention days) has passed. Only anonymous counts remain. Does nothing before."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The campaign's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, slug, dry_run, **options):
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"No campaign with the slug {slug!r}.")
        count = actions.purge_campaign(campaign, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        when = f"retention ends {campaign.retention_ends:%Y-%m-%d %H:%M %Z}"
        self.stdout.write(f"{campaign.slug}: {verb} {count} signatories ({when}).")
