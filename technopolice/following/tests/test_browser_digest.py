"""A member follows a commune from its page in a real chromium, a moderator publishes a dossier
there, the digest task runs through the real worker, and the email in the loopback SMTP server's
mailbox carries a link to the dossier and an unsubscribe link that both work in the browser."""

import re
from io import StringIO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from technopolice.following.models import DigestSubscription, Follow, Frequency
from technopolice.registry import actions as registry_actions
from technopolice.registry.tests.factories import CommuneFactory, dossier_payload
from technopolice.testing import smtp
from technopolice.testing.browser import BrowserTestCase
from technopolice.testing.cases import PASSWORD

PORT = smtp.free_port()


@override_settings(TASKS=settings.TASKS, MAILERS=smtp.mailers(PORT))
class FollowToDigestTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.member = User.objects.create_user("zoe", "zoe@example.org", PASSWORD)
        self.moderator = User.objects.create_user("bob", "bob@example.org", PASSWORD)
        self.commune = CommuneFactory()

    def follow_the_commune(self) -> None:
        page, commune_path = self.page, f"/en{self.commune.get_absolute_url()}"
        page.goto(f"{self.live_server_url}/en/comptes/connexion/?next={commune_path}")
        page.fill("#id_username", "zoe")
        page.fill("#id_password", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"**{commune_path}")
        page.locator(".follow-button").get_by_role("button", name="Follow").click()
        page.wait_for_url(f"**{commune_path}")
        self.assertEqual(page.locator(".follow-button button").inner_text(), "Unfollow")
        self.assertIn("1 follower", page.locator(".follow-button").inner_text())
        self.assertTrue(Follow.objects.filter(user=self.member, key=f"commune:{self.commune.pk}").exists())

    def run_the_digest(self):
        with self.settings(SITE_URL=self.live_server_url):
            call_command("send_digests", "--frequency", "daily", stdout=StringIO())
            call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
        (message,) = self.inbox.messages
        self.assertEqual(message["To"], "zoe@example.org")
        return message

    def test_a_member_follows_a_commune_and_the_digest_brings_the_new_dossier(self):
        self.follow_the_commune()
        dossier = registry_actions.publish_dossier(dossier_payload(), self.moderator)
        message = self.run_the_digest()
        text = message.get_body(("plain",)).get_content()
        self.assertIn(dossier.title, text)

        page = self.page
        (link,) = {url for url in re.findall(r"https?://\S+", text) if dossier.slug in url}
        response = page.goto(link)
        self.assertEqual(response.status, 200)
        self.assertEqual(page.locator("h1").first.inner_text(), dossier.title)

        unsubscribe = re.fullmatch(r"<(.+)>", str(message["List-Unsubscribe"])).group(1)
        self.assertIn(unsubscribe, text)
        other = self.new_page()  # as from a mail client: no session needed
        self.assertEqual(other.goto(unsubscribe).status, 200)
        self.assertEqual(DigestSubscription.objects.get(user=self.member).frequency, Frequency.DAILY)
        other.get_by_role("button", name="Stop the digests").click()
        other.wait_for_load_state()
        self.assertIn("Digests stopped", other.locator("h1").inner_text())
        self.assertEqual(DigestSubscription.objects.get(user=self.member).frequency, Frequency.OFF)
        self.assert_no_foreign_requests()
