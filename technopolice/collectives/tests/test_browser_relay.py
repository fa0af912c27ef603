"""A visitor finds the collective covering their commune, writes to it from a real chromium (the
proof of work solved by the widget), and the organiser reads the message in the mailbox of the
loopback SMTP server, without the visitor's address."""

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from technopolice.collectives.models import Conversation
from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing import smtp
from technopolice.testing.browser import BrowserTestCase

from .relay_helpers import ORGANISER_EMAIL, VISITOR_EMAIL, collective_with_organiser, start_smtp, work

PORT = smtp.free_port()


# No message without the proof of work is accepted: one that goes through was proved in the browser.
@override_settings(
    TASKS=settings.TASKS,
    MAILERS=smtp.mailers(PORT),
    RELAY_DOMAIN="relais.example.com",
    RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=0,
)
class WriteToACollectiveTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        controller, self.inbox = start_smtp(PORT)
        self.addCleanup(controller.stop)
        self.commune = CommuneFactory()
        self.collective, _organiser = collective_with_organiser(
            name="Technopolice Saint-Étienne", communes=[self.commune]
        )

    def test_a_visitor_writes_from_the_commune_page_and_the_organiser_reads_it(self):
        page = self.page
        page.goto(f"{self.live_server_url}/en/communes/{self.commune.slug}/")
        page.locator(".place-collectives").get_by_role("link", name="Technopolice Saint-Étienne").click()
        page.locator(f"a[href$='/collectifs/{self.collective.slug}/ecrire/']").click()
        page.fill("#id_name", "Zoé Quenouille")
        page.fill("#id_email", VISITOR_EMAIL)
        page.fill("#id_subject", "Rejoindre le collectif")
        page.fill("#id_message", "Bonjour, <b>je</b> voudrais aider.")
        page.get_by_role("button", name="Send the message").click()
        page.wait_for_url("**/ecrire/envoye/", timeout=60_000)  # solved at the real cost
        self.assertIn("never shown to them", page.content())
        self.assertEqual(Conversation.objects.count(), 1)

        work()
        (index,) = self.inbox.to(ORGANISER_EMAIL)
        message = self.inbox.messages[index]
        self.assertIn("Bonjour, <b>je</b> voudrais aider.", message.get_content())
        self.assertIn("Zoé Quenouille via Technopolice", str(message["From"]))
        self.assertNotIn(VISITOR_EMAIL.encode(), self.inbox.raw[index])
        self.assert_no_foreign_requests(inline=True)
