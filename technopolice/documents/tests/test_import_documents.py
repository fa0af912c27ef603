import io
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from technopolice.documents.models import Document
from technopolice.moderation import actions as moderation
from technopolice.moderation.models import Proposal, ProposalState
from technopolice.registry.tests.factories import OrganisationFactory
from technopolice.testing.cases import BaseTestCase

from . import builders


class ImportDocumentsTests(builders.MediaMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="tp-import-"))
        (self.folder / "sub").mkdir()
        (self.folder / "deliberation_2021.pdf").write_bytes(builders.pdf("Délibération caméras"))
        (self.folder / "sub" / "copie.pdf").write_bytes(builders.pdf("Délibération caméras"))
        (self.folder / "sub" / "photo.jpg").write_bytes(builders.photo())
        (self.folder / "sub" / "faux.jpg").write_bytes(b"<html><body>phishing</body></html>")
        (self.folder / "protege.pdf").write_bytes(builders.encrypted_pdf())

    def run_command(self, *args) -> str:
        out = io.StringIO()
        with translation.override("en"):
            call_command("import_documents", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_it_imports_a_folder_recursively_and_reports_each_file(self):
        OrganisationFactory(name="Ville de Lyon", slug="ville-de-lyon")
        output = self.run_command(str(self.folder), "--kind", "deliberation", "--issuer", "ville-de-lyon")
        self.assertIn("5 files: 2 stored, 1 duplicates, 2 refused.", output)
        self.assertRegex(output, r"refused .*faux\.jpg: .*markup")
        self.assertRegex(output, r"refused .*protege\.pdf: .*password")
        self.assertRegex(output, r"duplicate .*copie\.pdf")
        self.assertEqual(Document.objects.count(), 2)
        document = Document.objects.get(file_type="pdf")
        self.assertEqual(
            (document.title, document.kind, document.issuer.slug),
            ("deliberation 2021", "deliberation", "ville-de-lyon"),
        )
        self.assertTrue(document.is_published)
        self.assertNotIn(builders.AUTHOR.encode(), document.file.read())

    def test_it_leaves_a_pending_upload_of_the_same_content_to_the_moderators(self):
        # An anonymous leak of the photo waits for moderation; the folder holds the same photo.
        cache.clear()
        with translation.override("en"):
            leak_url = reverse("documents:leak")
        photo = SimpleUploadedFile("fuite.jpg", builders.photo(), content_type="image/jpeg")
        self.assertEqual(self.client.post(leak_url, {"kind": "other", "files": [photo]}).status_code, 200)
        pending = Document.objects.get()
        stored = pending.file.read()  # cleaned on upload, like any import
        for secret in (builders.SERIAL.encode(), builders.AUTHOR.encode(), b"GPS", b"Exif"):
            self.assertNotIn(secret, stored)

        output = self.run_command(str(self.folder))
        self.assertRegex(
            output, rf"pending +\S*photo\.jpg = document {pending.pk}: waiting for moderation, not published"
        )
        self.assertIn("5 files: 1 stored, 1 duplicates, 2 refused.", output)
        self.assertIn("1 file waits for moderation, not published: the moderators decide.", output)
        pending.refresh_from_db()
        self.assertFalse(pending.is_published)
        self.assertEqual(pending.file.read(), stored)
        proposal = Proposal.objects.get()
        self.assertEqual(proposal.state, ProposalState.PENDING)
        self.assertEqual(self.client.get(reverse("documents:detail", args=[pending.pk])).status_code, 404)

        moderation.accept(proposal, self.bob)  # the moderator decides
        pending.refresh_from_db()
        self.assertTrue(pending.is_published)

    def test_it_refuses_an_unknown_issuer_or_dossier_before_importing(self):
        with self.assertRaisesMessage(CommandError, "nobody"):
            self.run_command(str(self.folder), "--issuer", "nobody")
        with self.assertRaisesMessage(CommandError, "nowhere"):
            self.run_command(str(self.folder), "--dossier", "nowhere")
        self.assertFalse(Document.objects.exists())

    def test_it_refuses_a_missing_path(self):
        with self.assertRaisesMessage(CommandError, "no such file"):
            self.run_command(str(self.folder / "absent"))

    def test_it_fails_when_nothing_could_be_imported(self):
        with self.assertRaisesMessage(CommandError, "No file could be imported"):
            self.run_command(str(self.folder / "protege.pdf"))
