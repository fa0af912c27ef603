"""The ALTCHA widget under our real Content-Security-Policy, in Debian's headless chromium.

The strict CSP (self only, no inline style or script) is what could silently break the
widget; this test sends a proposal from a real browser and checks that the server
received a verified proof of work, and that the browser reported no CSP violation.
"""

from technopolice.accounts.roles import MODERATORS
from technopolice.moderation.models import Proposal
from technopolice.testing.browser import BrowserTestCase
from technopolice.testing.cases import PASSWORD, current_code, make_user, totp_device

from .factories import CommuneFactory, TechnologyFactory


class AltchaWidgetTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        CommuneFactory()
        TechnologyFactory()
        self.console = []
        self.page.on("console", lambda message: self.console.append(message.text))

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

    def test_a_follow_link_then_a_moderator_decision_in_real_pages(self):
        device = totp_device(make_user("bob", MODERATORS))
        self.fill_minimal_proposal()
        self.page.get_by_role("button", name="Send the proposal").click()
        follow_url = self.page.locator("a.follow-link").get_attribute("href")
        page = self.page
        page.goto(f"{self.live_server_url}/en/comptes/connexion/?next=/en/moderation/")
        page.get_by_label("Username").fill("bob")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        # A moderator passes the second factor before the queue: the code their app shows now.
        page.get_by_label("Code").fill(current_code(device))
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="Micros à Saint-Étienne").click()
        page.get_by_role("button", name="Accept and publish").click()
        self.assertIn("Proposal accepted and published.", page.content())
        page.goto(follow_url)
        self.assertIn("It has been published", page.content())
