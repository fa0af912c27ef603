"""The confirmation email reads as written: no HTML entities in its subject or its text part.

Sent by the real worker to a real SMTP server on loopback; the received message is decoded as a
mail client would, and its subject and text compared with what the campaign and person wrote.
"""

from django.conf import settings
from django.core.cache import cache
from django.test import TransactionTestCase, override_settings

from technopolice.complaints import tasks
from technopolice.testing import smtp

from .factories import CampaignFactory, sign_data
from .test_mail import time_passes, work

PORT = smtp.free_port()
TITLE = 'Contre le ministère de l\'Intérieur : « VSA » & <script>fichiers</script> "TAJ"'
ORGANISATION = "L'Observatoire & Co"
FIRST_NAME = "Zoë-李 O'Brien"


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class PlainTextMailTests(TransactionTestCase):
    def setUp(self):
        cache.clear()
        tasks.forget_wake_ups()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)

    def received(self, language: str):
        campaign = CampaignFactory(title=TITLE, filing_organisation=ORGANISATION)
        prefix = "" if language == "fr" else "/en"
        data = sign_data(campaign, first_name=FIRST_NAME, email=f"{language}@example.net")
        self.client.post(f"{prefix}/plaintes/{campaign.slug}/", data)
        time_passes()
        work()
        (message,) = [m for m in self.inbox.messages if m["To"] == f"{language}@example.net"]
        return message

    def assert_as_written(self, message) -> None:
        subject, text = str(message["Subject"]), message.get_body(("plain",)).get_content()
        self.assertIn(TITLE, subject)
        self.assertNotIn("  ", subject)
        for written in (TITLE, ORGANISATION, FIRST_NAME):
            self.assertIn(written, text)
        for entity in ("&#x27;", "&#39;", "&lt;", "&gt;", "&amp;", "&quot;"):
            self.assertNotIn(entity, subject + text)

    def test_the_french_email_shows_apostrophes_quotes_and_markup_as_written(self):
        self.assert_as_written(self.received("fr"))

    def test_the_english_email_shows_them_as_written_too(self):
        self.assert_as_written(self.received("en"))

    def test_the_html_part_still_escapes_what_it_shows(self):
        html = self.received("en").get_body(("html",)).get_content()
        self.assertNotIn("<script>fichiers", html)
        self.assertIn("&lt;script&gt;fichiers", html)
