import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.utils import translation

from technopolice.documents.models import Document
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
