"""The whole journey in a real headless chromium, with JavaScript off and a phone's screen:
sign, receive the email on a real loopback SMTP server, confirm, see the counter move,
withdraw, and find nothing left."""

import re
import time

from django.core.cache import cache
from django.test import override_settings

from technopolice.complaints.models import Campaign, Signatory
from technopolice.testing import smtp
from technopolice.testing.browser import BrowserTestCase

from .base import IMMEDIATE_TASKS
from .factories import CampaignFactory

PORT = smtp.free_port()


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


@override_settings(TASKS=IMMEDIATE_TASKS, MAILERS=smtp.mailers(PORT))
class JourneyTests(BrowserTestCase):
    context_options = {"java_script_enabled": False, "viewport": {"width": 375, "height": 740}}

    def setUp(self):
        super().setUp()
        cache.clear()
        self.controller, self.inbox = smtp.start(PORT)
        self.addCleanup(self.controller.stop)
        self.campaign = CampaignFactory()

    def open_campaign(self) -> str:
        self.page.goto(f"{self.live_server_url}/en/plaintes/{self.campaign.slug}/")
        return self.page.inner_text("#total-signatories")

    def mailed_link(self, marker: str) -> str:
        return re.search(rf"https?://\S+{marker}\S+/", self.inbox.text()).group(0)

    def test_sign_confirm_count_withdraw(self):
        with self.settings(SITE_URL=self.live_server_url):
            self.assertEqual(self.open_campaign(), "0")
            self.page.fill("#id_first_name", "Zoé")
            self.page.fill("#id_last_name", "Quenouille")
            self.page.fill("#id_email", "zoe@example.net")
            self.page.get_by_label("Reconnaissance faciale").check()
            self.page.check("#id_consent_mandate")
            self.page.check("#id_consent_data")
            self.page.click("text=Sign the complaint")
            self.assertIn("Check your inbox", self.page.inner_text("h1"))

            wait_for(lambda: self.inbox.messages)
            self.assertEqual(self.inbox.messages[0]["To"], "zoe@example.net")
            self.page.goto(self.mailed_link("/confirmer/"))
            self.page.click("text=Confirm my signature")
            self.assertIn("your signature is confirmed", self.page.inner_text("main"))
            self.assertEqual(self.open_campaign(), "1")
            self.assertIn(
                "1 signatory", self.page.inner_text(f"#grievance-{self.campaign.grievances.last().pk}")
            )

            self.page.goto(self.mailed_link("/retirer/"))
            self.page.click("text=Withdraw and delete my data")
            self.assertIn("withdrawn", self.page.inner_text("main"))
            self.assertFalse(Signatory.objects.exists())
            self.assertEqual(Campaign.objects.get().withdrawals, 1)
            self.assertEqual(self.open_campaign(), "0")

    def test_the_form_fits_a_phone_and_shows_errors_without_javascript(self):
        self.open_campaign()
        width = self.page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 375)
        self.page.fill("#id_email", "not-an-email")
        self.page.click("text=Sign the complaint")
        self.assertIn("Enter a valid email address", self.page.inner_text("#sign"))
        self.assertIn("Without this mandate", self.page.inner_text("#sign"))
        self.assertFalse(self.page.is_checked("#id_consent_mandate"))
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(self.inbox.messages, [])
