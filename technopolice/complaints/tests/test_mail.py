import datetime
from io import StringIO
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from technopolice.complaints import tasks
from technopolice.complaints.models import Signatory
from technopolice.testing import smtp

from .factories import CampaignFactory, sign_data

PORT = smtp.free_port()


def waiting():
    """Queued tasks, due or not (the library's ready() leaves out those still waiting)."""
    return DBTaskResult.objects.filter(status="READY")


def work() -> None:
    """Run the real worker until the queue holds nothing runnable now."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())


def time_passes() -> None:
    """Every put-off email and every deferred sweep comes due."""
    Signatory.objects.exclude(mail_due_at=None).update(mail_due_at=timezone.now())
    waiting().update(run_after=timezone.now())


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class MailRetryTests(TransactionTestCase):
    """Emails go through the persistent task queue to a real SMTP server on loopback.
    (TransactionTestCase: the worker closes database connections as in production.)"""

    def setUp(self):
        cache.clear()
        tasks.forget_wake_ups()
        self.campaign = CampaignFactory()

    def sign(self, email="zoe.quenouille@example.net"):
        self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign, email=email))

    def serve(self) -> smtp.Inbox:
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        return inbox

    def test_the_worker_sends_the_confirmation_over_smtp(self):
        inbox = self.serve()
        self.sign()
        self.assertEqual(inbox.messages, [])  # owed, not sent by the web request
        work()
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(inbox.messages[0]["To"], "zoe.quenouille@example.net")
        self.assertIn("/en/plaintes/confirmer/", inbox.text())
        self.assertIsNotNone(inbox.messages[0].get_body(("html",)))
        self.assertEqual(Signatory.objects.get().mail_due_at, None)  # no longer owed

    def test_a_failing_server_delays_the_mail_and_never_loses_it(self):
        self.sign()  # nothing listens on PORT yet: connection refused
        work()
        owed = Signatory.objects.get()
        self.assertEqual(owed.mail_attempts, 1)
        self.assertGreater(owed.mail_due_at, timezone.now() + datetime.timedelta(seconds=20))
        self.assertTrue(waiting().filter(run_after__lte=owed.mail_due_at).exists())  # a sweep will come
        work()  # too early: the email waits for its back-off
        self.assertEqual(Signatory.objects.get().mail_attempts, 1)
        inbox = self.serve()
        time_passes()
        work()
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(Signatory.objects.filter(mail_due_at=None, mail_attempts=0).count(), 1)

    def test_one_task_sends_many_emails_on_one_connection(self):
        inbox = self.serve()
        with mock.patch.object(tasks, "WAKE_SECONDS", 60):  # however slow this machine is today
            for n in range(5):
                self.sign(f"person{n}@example.net")
        self.assertEqual(waiting().count(), 2)  # a wake-up now, one a little later: not one per sign-up
        work()
        received = sorted(m["To"] for m in inbox.messages)
        self.assertEqual(received, [f"person{n}@example.net" for n in range(5)])
        self.assertEqual(len(set(inbox.peers)), 1)

    def test_sign_ups_ride_on_their_process_s_wake_up_until_close_to_its_time(self):
        def queued_at(now: float) -> int:
            before = waiting().count()
            with mock.patch.object(tasks, "time") as clock:
                clock.time.return_value = now
                tasks.wake()
            return waiting().count() - before

        self.assertEqual(queued_at(1000.0), 2)  # after a quiet spell: one now, one at 1002
        self.assertEqual(queued_at(1001.0), 0)  # the one at 1002 will see this sign-up
        self.assertEqual(queued_at(1001.7), 1)  # too close to 1002: one more, at 1003.7
        self.assertEqual(queued_at(1010.0), 2)

    def test_a_connection_the_server_dropped_is_replaced_without_a_retry(self):
        controller, inbox = smtp.start(PORT)
        self.sign("first@example.net")
        work()
        controller.stop()  # the kept connection dies with the server
        inbox = self.serve()
        tasks.forget_wake_ups()
        self.sign("second@example.net")
        work()
        self.assertEqual([m["To"] for m in inbox.messages], ["second@example.net"])
        self.assertFalse(Signatory.objects.exclude(mail_due_at=None).exists())
        self.assertFalse(Signatory.objects.filter(mail_attempts__gt=0).exists())

    def test_a_refused_recipient_holds_up_no_one_else(self):
        inbox = self.serve()
        inbox.refused.add("nobody@example.net")
        self.sign("nobody@example.net")
        self.sign("somebody@example.net")
        work()
        self.assertEqual([m["To"] for m in inbox.messages], ["somebody@example.net"])
        refused = Signatory.objects.exclude(mail_due_at=None).get()
        self.assertEqual(refused.mail_attempts, 1)
        self.assertGreater(refused.mail_due_at, timezone.now())

    @override_settings(COMPLAINTS_MAIL_ATTEMPTS=2)
    def test_after_the_last_attempt_the_sweep_fails_visibly(self):
        self.sign()
        work()
        time_passes()
        work()
        given_up = Signatory.objects.get()
        self.assertEqual((given_up.mail_due_at, given_up.mail_attempts), (None, 2))
        self.assertEqual(DBTaskResult.objects.failed().count(), 1)
        self.assertFalse(waiting().filter(run_after__lte=timezone.now()).exists())

    def test_a_worker_dying_mid_chunk_leaves_the_emails_owed(self):
        inbox = self.serve()
        self.sign()
        DBTaskResult.objects.all().delete()  # only the sweep queued by the claim below is left
        lease, chunk = tasks._claim()  # ...and the worker is killed before sending
        self.assertEqual(len(chunk), 1)
        self.assertEqual(waiting().get().run_after, lease)  # a sweep comes when the lease ends
        work()  # the lease runs: nothing is sent twice meanwhile
        self.assertEqual(inbox.messages, [])
        time_passes()
        work()
        self.assertEqual(len(inbox.messages), 1)
        self.assertIn("/en/plaintes/confirmer/", inbox.text())

    def test_a_sign_up_left_without_a_wake_up_goes_with_the_next_sweep(self):
        inbox = self.serve()
        self.sign("first@example.net")
        DBTaskResult.objects.all().delete()  # say the process died between commit and its wake-up
        tasks.forget_wake_ups()
        self.sign("second@example.net")
        work()
        self.assertEqual(sorted(m["To"] for m in inbox.messages), ["first@example.net", "second@example.net"])

    def test_a_sweep_that_sent_something_looks_again_when_its_lease_ends(self):
        self.serve()
        self.sign()
        waiting().filter(run_after__lt=get_date_max()).delete()  # the sign-up's second wake-up
        work()
        later = waiting().get().run_after - timezone.now()
        self.assertGreater(later, datetime.timedelta(seconds=100))
        time_passes()
        work()  # nothing owed any more: the chain ends
        self.assertFalse(waiting().exists())

    def test_the_backoff_doubles_and_is_capped(self):
        self.assertEqual([tasks.backoff(n).total_seconds() for n in (1, 2, 3)], [30, 60, 120])
        self.assertEqual(tasks.backoff(30).total_seconds(), 6 * 3600)
