import shutil
from unittest import skipUnless

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from technopolice.documents import actions, cleaning
from technopolice.documents.models import Document, ExtractionStatus, PageMethod
from technopolice.documents.tasks import QUEUE

from . import builders

TESSERACT = shutil.which("tesseract") is not None


class ExtractionTests(builders.MediaMixin, TransactionTestCase):
    """Committed rows, as in production: the worker closes its database connection between tasks."""

    def store(self, data: bytes) -> Document:
        # Storing enqueues the extraction after commit, through the real database queue.
        document, _created = actions.import_file(cleaning.clean(data), "Délibération", "deliberation")
        return document

    def run_worker(self) -> None:
        call_command(
            "db_worker", "--queue-name", QUEUE, "--batch", "--no-startup-delay", "--no-reload", verbosity=0
        )

    def test_the_worker_extracts_text_page_by_page_from_the_queue(self):
        document = self.store(
            builders.pdf("Première page sur la vidéosurveillance", "Deuxième page, caméras")
        )
        self.assertEqual(DBTaskResult.objects.filter(status="READY").count(), 1)
        self.assertEqual(document.pages.count(), 0)
        self.run_worker()
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.DONE)
        self.assertEqual(
            [(p.number, p.method) for p in document.pages.all()],
            [(1, PageMethod.TEXT_LAYER), (2, PageMethod.TEXT_LAYER)],
        )
        self.assertIn("vidéosurveillance", document.pages.get(number=1).text)
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")

    def test_plain_text_pages_are_split_on_form_feeds(self):
        document = self.store(b"un\fdeux\ftrois")
        self.run_worker()
        self.assertEqual(list(document.pages.values_list("text", flat=True)), ["un", "deux", "trois"])

    @override_settings(DOCUMENTS_OCR=False)
    def test_a_scanned_page_without_ocr_is_marked_no_text_layer(self):
        document = self.store(
            builders.pdf("Page avec du texte bien lisible", scanned="Camera de surveillance")
        )
        self.run_worker()
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.NO_TEXT_LAYER)
        self.assertEqual(document.pages.get(number=2).method, PageMethod.NONE)
        self.assertContains(
            self.client.get(document.get_absolute_url()), document.get_extraction_status_display()
        )

    @skipUnless(TESSERACT, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-fra)")
    def test_a_scanned_page_is_read_by_ocr_when_tesseract_is_installed(self):
        document = self.store(
            builders.pdf("Page avec du texte bien lisible", scanned="Camera de surveillance")
        )
        self.run_worker()
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.DONE)
        page = document.pages.get(number=2)
        self.assertEqual(page.method, PageMethod.OCR)
        self.assertIn("surveillance", page.text.lower())

    @skipUnless(TESSERACT, "Tesseract is not installed")
    def test_a_photo_of_a_page_is_read_by_ocr(self):
        from io import BytesIO

        image = builders._scan("Arrete municipal")
        out = BytesIO()
        image.save(out, "PNG")
        document = self.store(out.getvalue())
        self.run_worker()
        self.assertIn("municipal", document.pages.get().text.lower())
