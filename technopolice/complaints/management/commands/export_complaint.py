"""The filing export run where the organiser's private key is (with access to the database):
the same zip as the web export, and the same audit entry, in the name of --user."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from tqdm import tqdm

from technopolice.complaints import exports
from technopolice.complaints.models import Campaign
from technopolice.lib import sealing
from technopolice.lib.commands import TranslatedCommand

from .complaint_keys import write_private


class Command(TranslatedCommand):
    help = gettext_lazy(
        "Export the confirmed signatories of campaign SLUG for filing: a zip (CSV, PDF, the mandate "
        "texts, a summary and checksums) opened with the campaign's private key file. Written in "
        "the export log in the name of --user, who must hold the export permission."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The campaign's slug.")
        parser.add_argument("--key", required=True, help="The campaign's private key file (complaint_keys).")
        parser.add_argument("--output", required=True, help="The zip to write (readable by you only).")
        parser.add_argument("--user", required=True, help="Who exports (needs the export permission).")
        parser.add_argument("--grievance", type=int, help="Only the signatories of this grievance (its id).")
        parser.add_argument("--force", action="store_true", help="Overwrite the output file if it exists.")

    def handle(self, *args, **options):
        try:
            self.export(*args, **options)
        except DatabaseError as error:  # not migrated, unreachable: say so in one line
            message = _("The platform's database cannot be read (%(error)s): is DATABASE_URL the platform's?")
            raise CommandError(message % {"error": str(error).strip()}) from None

    def export(self, slug, key, output, user, grievance, force, **options):
        exporter = self._exporter(user)
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(_("No campaign with the slug %(slug)r.") % {"slug": slug})
        chosen = None
        if grievance is not None:
            chosen = campaign.grievances.filter(pk=grievance).first()
            if chosen is None:
                raise CommandError(
                    _("Campaign %(slug)s has no grievance %(id)s.") % {"slug": slug, "id": grievance}
                )
        private_key = self._private_key(Path(key))
        path = Path(output)
        if path.exists() and not force:
            raise CommandError(_("%(path)s exists: choose another file, or add --force.") % {"path": path})
        total = exports.count_rows(campaign, chosen)
        try:
            with tqdm(total=total, unit="signatory", disable=None) as bar:
                made = exports.export(campaign, exporter, private_key, chosen, progress=lambda: bar.update())
        except exports.ExportRefused as refused:
            raise CommandError(str(refused)) from None
        write_private(path, made.content, force)
        self.stdout.write(
            ngettext(
                "%(count)s signatory exported to %(path)s.",
                "%(count)s signatories exported to %(path)s.",
                made.rows,
            )
            % {"count": made.rows, "path": path}
        )

    def _exporter(self, username: str):
        exporter = get_user_model().objects.filter(username=username, is_active=True).first()
        if exporter is None:
            raise CommandError(_("No active user %(name)r.") % {"name": username})
        if not exporter.has_perm("complaints.export_signatories"):
            raise CommandError(
                _("%(name)s may not export signatories (complaints.export_signatories).") % {"name": username}
            )
        return exporter

    def _private_key(self, path: Path):
        try:
            if path.stat().st_size > 4096:
                raise sealing.SealingError
            return sealing.read_private_key(path.read_bytes())
        except OSError as error:
            message = _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            raise CommandError(message) from None
        except sealing.SealingError:
            raise CommandError(
                _("%(path)s is not a campaign private key file (made by complaint_keys).") % {"path": path}
            ) from None
