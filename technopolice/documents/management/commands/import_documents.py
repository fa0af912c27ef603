"""technopolice import_documents PATH... : load files and folders of documents, cleaned like any upload."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from technopolice.documents import actions
from technopolice.documents.cleaning import Refused, clean
from technopolice.documents.models import DocumentKind
from technopolice.registry.models import Dossier, Organisation


def _files(paths: list[str]) -> list[Path]:
    """Every regular file under the given paths (folders recursively), in a stable order."""
    found = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CommandError(_("%(path)s: no such file or folder.") % {"path": raw})
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found


class Command(BaseCommand):
    help = (
        "Import documents (PDF, JPEG, PNG, WebP, plain text) from files and folders (recursively). "
        "Each file is typed from its content and cleaned of metadata like an upload, stored once per "
        "content, and published at once (the administrator vouches for it), except content an upload "
        "brought that waits for moderation: it is left to the moderators. Prints one line per file: "
        "stored, duplicate, pending, or refused and why; then a summary. Text extraction is queued for "
        "the worker."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--kind", default=DocumentKind.OTHER, choices=DocumentKind.values)
        parser.add_argument("--issuer", metavar="SLUG", help="Slug of the issuing organisation.")
        parser.add_argument("--dossier", metavar="SLUG", help="Slug of the dossier the documents belong to.")

    def handle(self, *args, **options) -> None:
        issuer = self._get(Organisation, options["issuer"], _("organisation"))
        dossier = self._get(Dossier, options["dossier"], _("dossier"))
        counts = {"stored": 0, "duplicate": 0, "pending": 0, "refused": 0}
        files = _files(options["paths"])
        for path in tqdm(files, unit="file", disable=options["verbosity"] == 0, file=self.stderr):
            outcome, line = self._import(path, options["kind"], issuer, dossier)
            counts[outcome] += 1
            with tqdm.external_write_mode(file=self.stderr):  # keeps the bar below the lines
                self.stdout.write(line)
        summary = _("%(files)d files: %(stored)d stored, %(duplicate)d duplicates, %(refused)d refused.")
        self.stdout.write(summary % dict(counts, files=len(files)))
        if counts["pending"]:
            waiting = ngettext(
                "%(pending)d file waits for moderation, not published: the moderators decide.",
                "%(pending)d files wait for moderation, not published: the moderators decide.",
                counts["pending"],
            )
            self.stdout.write(waiting % counts)
        if counts["refused"] and not (counts["stored"] or counts["duplicate"]):
            raise CommandError(_("No file could be imported."))

    def _get(self, model, slug: str | None, label: str):
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise CommandError(
                _("No %(label)s has the slug %(slug)r.") % {"label": label, "slug": slug}
            ) from None

    def _import(self, path: Path, kind: str, issuer, dossier) -> tuple[str, str]:
        try:
            cleaned = clean(path.read_bytes())
        except Refused as refused:
            return "refused", _("refused   %(path)s: %(why)s") % {"path": path, "why": refused}
        except OSError as error:
            return "refused", _("refused   %(path)s: cannot read it (%(why)s).") % {
                "path": path,
                "why": error.strerror,
            }
        title = path.stem.replace("_", " ").replace("-", " ").strip() or path.name
        try:
            document, created = actions.import_file(cleaned, title, kind, issuer, dossier)
        except actions.AwaitingModeration as waiting:
            return "pending", _(
                "pending   %(path)s = document %(pk)d: waiting for moderation, not published"
            ) % {
                "path": path,
                "pk": waiting.document.pk,
            }
        if created:
            return "stored", _("stored    %(path)s → document %(pk)d") % {"path": path, "pk": document.pk}
        return "duplicate", _("duplicate %(path)s = document %(pk)d") % {"path": path, "pk": document.pk}
