"""The proof of work in a real headless chromium: with JavaScript the widget solves the page's
challenge and the sign-up is accepted as proved; without JavaScript the form still posts, under
the stricter limit for unproved sign-ups, and a refusal keeps what the person typed."""

import re

from django.core.cache import cache
from django.test import override_settings

from technopolice.complaints.models import Signatory
from technopolice.testing import smtp
from technopolice.testing.browser import BrowserTestCase

from .base import IMMEDIATE_TASKS
from .factories import CampaignFactory

PORT = smtp.free_port()
THANKS = re.compile(r"/merci/(#.*)?$")


class SigningMixin:
    def setUp(self):
        super().setUp()
        cache.clear()
        self.controller, self.inbox = smtp.start(PORT)
        self.addCleanup(self.controller.stop)
        self.campaign = CampaignFactory()

    def sign(self, email: str) -> None:
        self.page.goto(f"{self.live_server_url}/en/plaintes/{self.campaign.slug}/")
        self.page.fill("#id_first_name", "Zoé")
        self.page.fill("#id_last_name", "Quenouille")
        self.page.fill("#id_email", email)
        self.page.get_by_label("Reconnaissance faciale").check()
        self.page.check("#id_consent_mandate")
        self.page.check("#id_consent_data")
        self.page.click("text=Sign the complaint")


# No unproved sign-up is accepted at all: a sign-up that goes through was proved.
@override_settings(
    TASKS=IMMEDIATE_TASKS, MAILERS=smtp.mailers(PORT), COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=0
)
class ProvedInBrowserTests(SigningMixin, BrowserTestCase):
    def test_the_widget_solves_the_challenge_and_the_sign_up_is_proved(self):
        self.sign("zoe@example.net")
        self.page.wait_for_url(THANKS, timeout=30_000)  # solved at the real cost (ALTCHA_COST)
        self.assertIn("Check your inbox", self.page.inner_text("h1"))
        self.assertEqual(Signatory.objects.count(), 1)
        self.sign("zoe.deux@example.net")  # the next person on the same connection too
        self.page.wait_for_url(THANKS, timeout=30_000)
        self.assertEqual(Signatory.objects.count(), 2)
        self.assert_no_foreign_requests(inline=True)  # the widget and its workers are ours


@override_settings(
    TASKS=IMMEDIATE_TASKS, MAILERS=smtp.mailers(PORT), COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=1
)
class WithoutJavaScriptTests(SigningMixin, BrowserTestCase):
    context_options = {"java_script_enabled": False, "viewport": {"width": 375, "height": 740}}

    def test_the_form_still_posts_then_the_stricter_limit_explains_and_keeps_the_form(self):
        self.sign("zoe@example.net")
        self.assertIn("Check your inbox", self.page.inner_text("h1"))
        self.assertEqual(Signatory.objects.count(), 1)

        self.sign("zoe.deux@example.net")
        self.assertIn("Too many sign-ups without the anti-robot check", self.page.inner_text("#sign"))
        self.assertIn("Send the form again in", self.page.inner_text("#sign"))
        self.assertEqual(self.page.input_value("#id_email"), "zoe.deux@example.net")
        self.assertEqual(self.page.input_value("#id_first_name"), "Zoé")
        self.assertEqual(Signatory.objects.count(), 1)
