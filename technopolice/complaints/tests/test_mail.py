import datetime
from io import StringIO

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from technopolice.complaints.models import Signatory

from . import smtp
from .factories import CampaignFactory, sign_data

PORT = smtp.free_port()


def waiting():
    """Queued tasks, due or not (the library's ready() leaves out those still backing off)."""
    return DBTaskResult.objects.filter(status="READY")


def work() -> None:
    """Run the real worker until the queue holds nothing runnable now."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class MailRetryTests(TransactionTestCase):
    """Emails go through the persistent task queue to a real SMTP server on loopback.
    (TransactionTestCase: the worker closes database connections as in production.)"""

    def setUp(self):
        cache.clear()
        self.campaign = CampaignFactory()

    def sign(self, email="zoe.quenouille@example.net"):
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign, email=email))

    def test_the_worker_sends_the_confirmation_over_smtp(self):
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.sign()
        self.assertEqual(inbox.messages, [])  # queued, not sent by the web request
        work()
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(inbox.messages[0]["To"], "zoe.quenouille@example.net")
        self.assertIn("/en/plaintes/confirmer/", inbox.text())
        self.assertIsNotNone(inbox.messages[0].get_body(("html",)))

    def test_a_failing_server_delays_the_mail_and_never_loses_it(self):
        self.sign()  # nothing listens on PORT yet: connection refused
        work()
        retry = waiting().get()
        self.assertEqual(retry.args_kwargs["args"], [Signatory.objects.get().pk, "confirm", 2])
        self.assertGreater(retry.run_after, timezone.now() + datetime.timedelta(seconds=20))
        work()  # too early: the retry waits for its back-off
        self.assertEqual(waiting().count(), 1)
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        waiting().update(run_after=timezone.now())  # the back-off has passed
        work()
        self.assertEqual(len(inbox.messages), 1)
        self.assertFalse(waiting().exists())

    def test_the_worker_keeps_one_smtp_connection_for_many_emails(self):
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        for n in range(3):
            self.sign(f"person{n}@example.net")
        work()
        received = sorted(m["To"] for m in inbox.messages)
        self.assertEqual(received, [f"person{n}@example.net" for n in range(3)])
        self.assertEqual(len(set(inbox.peers)), 1)

    def test_a_connection_the_server_dropped_is_replaced_without_a_retry(self):
        controller, inbox = smtp.start(PORT)
        self.sign("first@example.net")
        work()
        controller.stop()  # the kept connection dies with the server
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.sign("second@example.net")
        work()
        self.assertEqual([m["To"] for m in inbox.messages], ["second@example.net"])
        self.assertFalse(waiting().exists())
        self.assertEqual(DBTaskResult.objects.successful().count(), 2)

    @override_settings(COMPLAINTS_MAIL_ATTEMPTS=2)
    def test_after_the_last_attempt_the_task_fails_visibly(self):
        self.sign()
        work()
        waiting().update(run_after=timezone.now())
        work()
        self.assertFalse(waiting().exists())
        self.assertEqual(DBTaskResult.objects.failed().count(), 1)

    def test_the_backoff_doubles_and_is_capped(self):
        from technopolice.complaints.tasks import backoff

        self.assertEqual([backoff(n).total_seconds() for n in (1, 2, 3)], [30, 60, 120])
        self.assertEqual(backoff(30).total_seconds(), 6 * 3600)
