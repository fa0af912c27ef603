"""The campaign's news reach the signatories who asked for it, and only them; nothing is lost
when the mail server fails, and a second click sends nothing twice."""

from django.conf import settings
from django.core import mail
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from technopolice.complaints import actions, news, tasks
from technopolice.complaints.models import CampaignNews, Signatory
from technopolice.testing import smtp

from .base import ComplaintsTestCase
from .factories import CampaignFactory
from .test_mail import time_passes, work

PORT = smtp.free_port()
BODY = "Le ministère de l'Intérieur a répondu : « non ». <script> & co."


def signatory(campaign, email: str, wants_news: bool, confirmed: bool = True) -> None:
    actions.sign(
        actions.Signature(
            campaign=campaign,
            mandate=campaign.current_mandate(),
            first_name="Zoë-李 O'Brien",
            last_name="Quenouille",
            email=email,
            grievances=list(campaign.grievances.all()[:1]),
            wants_news=wants_news,
        )
    )
    if confirmed:
        Signatory.objects.filter(email_index=actions.email_index(email)).update(confirmed_at=timezone.now())


class NewsTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        signatory(self.campaign, "reader@example.net", wants_news=True)
        signatory(self.campaign, "quiet@example.net", wants_news=False)
        signatory(self.campaign, "pending@example.net", wants_news=True, confirmed=False)
        mail.outbox.clear()
        self.news = CampaignNews.objects.create(campaign=self.campaign, title="Réponse de l'État", body=BODY)

    def test_only_confirmed_signatories_who_asked_receive_it_in_plain_text(self):
        self.assertTrue(news.request_sending(self.news))
        self.assertEqual([m.to for m in mail.outbox], [["reader@example.net"]])
        message = mail.outbox[0]
        self.assertIn("Réponse de l'État", message.subject)
        self.assertIn(BODY, message.body)
        self.assertIn("Zoë-李 O'Brien", message.body)
        self.assertIn("/plaintes/ma-signature/", message.body)
        self.assertIn("&lt;script&gt;", message.alternatives[0][0])
        sent = CampaignNews.objects.get()
        self.assertEqual(sent.sent_count, 1)
        self.assertIsNotNone(sent.sent_at)

    def test_the_server_forgot_the_address_of_those_who_did_not_ask(self):
        quiet = Signatory.objects.get(email_index=actions.email_index("quiet@example.net"))
        reader = Signatory.objects.get(email_index=actions.email_index("reader@example.net"))
        self.assertEqual(quiet.email_sealed, "")
        self.assertEqual(reader.email, "reader@example.net")

    def test_sent_news_show_on_the_campaign_page_and_unsent_ones_do_not(self):
        page = f"/en/plaintes/{self.campaign.slug}/"
        self.assertNotContains(self.client.get(page), "Réponse de l")
        news.request_sending(self.news)
        self.assertContains(self.client.get(page), "&lt;script&gt; &amp; co.")

    def test_administrators_send_it_from_the_admin_once(self):
        self.login(self.carol)
        changelist = "/en/admin/complaints/campaignnews/"
        data = {"action": "send", "_selected_action": [self.news.pk]}
        self.assertContains(self.client.post(changelist, data, follow=True), "is being sent to 1 signator")
        self.assertContains(self.client.post(changelist, data, follow=True), "was already sent")
        self.assertEqual(len(mail.outbox), 1)
        edit = self.client.get(f"{changelist}{self.news.pk}/change/")
        self.assertNotContains(edit, 'name="body"')  # what was sent stays as sent

    def test_a_second_request_sends_nothing_twice(self):
        self.assertTrue(news.request_sending(self.news))
        self.assertFalse(news.request_sending(CampaignNews.objects.get()))
        self.assertEqual(len(mail.outbox), 1)


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class NewsDeliveryTests(TransactionTestCase):
    """Through the real worker to a real SMTP server on loopback."""

    def setUp(self):
        tasks.forget_wake_ups()
        self.campaign = CampaignFactory()
        controller, self.inbox = smtp.start(PORT)
        for n in range(3):
            signatory(self.campaign, f"reader{n}@example.net", wants_news=True)
        time_passes()
        work()  # the confirmation emails
        controller.stop()
        self.news = CampaignNews.objects.create(campaign=self.campaign, title="Audience", body=BODY)

    def test_a_failing_server_puts_the_news_off_and_nobody_is_skipped_or_sent_twice(self):
        news.request_sending(self.news)
        work()  # nothing listens: put off, the task queued again
        self.assertEqual(CampaignNews.objects.get().sent_count, 0)
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        time_passes()
        work()
        self.assertEqual(
            sorted(m["To"] for m in inbox.messages), [f"reader{n}@example.net" for n in range(3)]
        )
        self.assertIn(BODY, inbox.text())
        self.assertIsNotNone(CampaignNews.objects.get().sent_at)

    def test_sending_resumes_after_the_last_chunk_sent(self):
        # A worker that died after writing to the first reader: the cursor says so.
        first = Signatory.objects.order_by("pk").first()
        CampaignNews.objects.filter(pk=self.news.pk).update(cursor=first.pk, sent_count=1)
        controller, inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        news.request_sending(self.news)
        work()
        self.assertEqual(
            sorted(m["To"] for m in inbox.messages), ["reader1@example.net", "reader2@example.net"]
        )
        self.assertEqual(CampaignNews.objects.get().sent_count, 3)
