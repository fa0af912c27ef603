"""The ALTCHA widget under our real Content-Security-Policy, in Debian's headless chromium.

The strict CSP (self only, no inline style or script) is what could silently break the
widget; this test sends a proposal from a real browser and checks that the server
received a verified proof of work, and that the browser reported no CSP violation.
"""

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from technopolice.moderation.models import Proposal

from .factories import CommuneFactory, TechnologyFactory

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.browser
class AltchaWidgetTests(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop; Django's ORM must still be usable in this thread.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        CommuneFactory()
        TechnologyFactory()
        self.page = self.browser.new_page()
        self.console = []
        self.page.on("console", lambda message: self.console.append(message.text))

    def tearDown(self):
        self.page.close()

    def fill_minimal_proposal(self):
        page = self.page
        page.goto(f"{self.live_server_url}/en/proposer/")
        page.get_by_label("Title").first.fill("Micros à Saint-Étienne")
        page.get_by_label("Communes").fill("Saint-Étienne (42)")
        page.locator("#id_sources-0-url").fill("https://example.org/article")
        page.locator("#id_sources-0-title").fill("L'article")

    def test_the_widget_solves_the_challenge_under_our_csp(self):
        self.fill_minimal_proposal()
        self.page.get_by_role("button", name="Send the proposal").click()
        self.page.wait_for_url("**/proposer/envoye/", timeout=60_000)
        proposal = Proposal.objects.get()
        self.assertFalse(proposal.without_proof_of_work)
        violations = [text for text in self.console if "Content Security Policy" in text]
        self.assertEqual(violations, [])
