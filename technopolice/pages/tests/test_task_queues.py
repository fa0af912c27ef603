"""Emails never wait behind OCR: a scan costs minutes of Tesseract, a confirmation email must leave
at once, so each has its queue and production runs a worker per queue (docs/production.md)."""

from io import StringIO

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django_tasks_db.models import DBTaskResult

from technopolice.complaints import tasks as complaint_tasks
from technopolice.complaints.tests.factories import CampaignFactory, sign_data
from technopolice.documents import actions, cleaning
from technopolice.documents.models import ExtractionStatus
from technopolice.documents.tasks import extract_text
from technopolice.documents.tests import builders
from technopolice.testing import smtp

PORT = smtp.free_port()


def work(queue: str) -> None:
    """The real worker of one queue, as its systemd unit runs it, until nothing is left to take."""
    call_command(
        "db_worker",
        "--queue-name",
        queue,
        "--batch",
        "--no-startup-delay",
        stdout=StringIO(),
        stderr=StringIO(),
    )


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class QueueTests(builders.MediaMixin, TransactionTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        complaint_tasks.forget_wake_ups()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)

    def test_the_default_worker_sends_a_confirmation_email_while_an_ocr_task_waits(self):
        # First in line: a document of scanned pages, hours of OCR if it had no limits.
        document, _created = actions.import_file(cleaning.clean(builders.scanned_pdf(20)), "Scans", "other")
        campaign = CampaignFactory()
        self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        ocr = DBTaskResult.objects.get(task_path=extract_text.module_path)
        self.assertTrue(DBTaskResult.objects.filter(queue_name="default", status="READY").exists())

        work("default")

        self.assertEqual(len(self.inbox.messages), 1)
        self.assertEqual(self.inbox.messages[0]["To"], "zoe.quenouille@example.net")
        ocr.refresh_from_db()
        self.assertEqual(ocr.status, "READY")  # left for the documents worker
        document.refresh_from_db()
        self.assertEqual(document.extraction_status, ExtractionStatus.PENDING)
