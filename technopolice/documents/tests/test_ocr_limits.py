"""OCR spends a bounded time on one document, in its own queue: a small PDF of hundreds of
scanned pages once held the only worker for hours while emails waited behind it."""

import io
import os
import shutil
import time
from unittest import skipUnless

from django.core.management import call_command
from django.test import SimpleTestCase, TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult
from fpdf import FPDF
from PIL import Image

from technopolice.documents import actions, cleaning
from technopolice.documents.extraction import read_pages
from technopolice.documents.models import Document, ExtractionStatus, FileType, PageMethod
from technopolice.documents.tasks import QUEUE

from . import builders

TESSERACT = shutil.which("tesseract") is not None


def run_worker(queue: str) -> None:
    call_command(
        "db_worker", "--queue-name", queue, "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


def noise_pdf(pages: int, side: int = 2000) -> bytes:
    """Pages of random pixels: Tesseract looks for letters in them for seconds."""
    doc = FPDF()
    for _ in range(pages):
        doc.add_page()
        doc.image(Image.frombytes("L", (side, side), os.urandom(side * side)), x=10, y=10, w=190)
    return bytes(doc.output())


@skipUnless(TESSERACT, "Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-fra)")
class OcrLimitTests(builders.MediaMixin, TransactionTestCase):
    def store(self, data: bytes) -> Document:
        document, _created = actions.import_file(cleaning.clean(data), "Scans", "deliberation")
        return document

    @override_settings(DOCUMENTS_OCR_MAX_PAGES=2)
    def test_a_pdf_of_many_scanned_pages_stops_at_the_page_limit_and_marks_the_rest(self):
        document = self.store(builders.scanned_pdf(12))
        started = time.monotonic()
        run_worker(QUEUE)
        elapsed = time.monotonic() - started
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.PARTIAL)
        self.assertEqual(document.page_count, 12)
        methods = list(document.pages.values_list("method", flat=True))
        self.assertEqual(methods, [PageMethod.OCR] * 2 + [PageMethod.SKIPPED] * 10)
        self.assertIn("camera 2", document.pages.get(number=2).text.lower())
        self.assertLess(elapsed, 30)  # two pages of OCR, not twelve
        page = self.client.get(document.get_absolute_url())
        self.assertContains(page, "partiellement lu")
        self.assertContains(page, "non lue : limite atteinte", count=10)

    @override_settings(DOCUMENTS_OCR_MAX_SECONDS=1)
    def test_tesseract_is_stopped_when_the_documents_time_is_up(self):
        started = time.monotonic()
        pages = read_pages(noise_pdf(3), FileType.PDF)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual([p.method for p in pages], [PageMethod.SKIPPED] * 3)


@skipUnless(TESSERACT, "Tesseract is not installed")
class OcrPixelLimitTests(SimpleTestCase):
    @override_settings(DOCUMENTS_OCR_MAX_PIXELS=100_000)
    def test_a_page_over_the_pixel_limit_is_marked_not_read(self):
        # 800 x 200 = 160,000 pixels a page: over the limit, whether in a PDF or alone.
        self.assertEqual(
            [p.method for p in read_pages(builders.scanned_pdf(2), FileType.PDF)], [PageMethod.SKIPPED] * 2
        )
        png = io.BytesIO()
        builders._scan("Camera", (800, 200)).save(png, "PNG")
        self.assertEqual(read_pages(png.getvalue(), FileType.PNG)[0].method, PageMethod.SKIPPED)

    @override_settings(DOCUMENTS_OCR_MAX_PIXELS=200_000)
    def test_a_page_under_the_pixel_limit_is_read(self):
        self.assertEqual(
            [p.method for p in read_pages(builders.scanned_pdf(1), FileType.PDF)], [PageMethod.OCR]
        )


class DocumentsQueueTests(builders.MediaMixin, TransactionTestCase):
    @override_settings(DOCUMENTS_OCR=False)
    def test_text_extraction_waits_on_the_documents_queue_not_the_default_one(self):
        document = self.store_pdf()
        self.assertEqual(DBTaskResult.objects.get().queue_name, QUEUE)
        run_worker("default")
        self.assertEqual(DBTaskResult.objects.get().status, "READY")
        run_worker(QUEUE)
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.DONE)

    @override_settings(DOCUMENTS_OCR=False)
    def test_a_worker_of_every_queue_as_dev_demo_runs_it_takes_documents_too(self):
        self.store_pdf()
        run_worker("*")
        self.assertEqual(DBTaskResult.objects.get().status, "SUCCESSFUL")

    def store_pdf(self) -> Document:
        data = builders.pdf("Une page avec assez de texte pour ne pas passer par la reconnaissance")
        document, _created = actions.import_file(cleaning.clean(data), "Délibération", "deliberation")
        return document
