"""In a real browser: a moderator is made to set up an authenticator before the queue, scans
(types) the secret, keeps the recovery codes, and logs in with a code the next time."""

import base64

from django_otp.oath import totp

from technopolice.accounts.roles import MODERATORS
from technopolice.testing.browser import BrowserTestCase
from technopolice.testing.cases import PASSWORD, make_user


def code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app given ``secret`` shows (``steps_ahead`` periods from now)."""
    return f"{totp(base64.b32decode(secret), drift=steps_ahead):06d}"


class TOTPInABrowserTests(BrowserTestCase):
    context_options = {"locale": "en-GB"}

    def setUp(self):
        super().setUp()
        make_user("bob", MODERATORS)

    def log_in(self):
        self.page.goto(self.live_server_url + "/en/comptes/connexion/?next=/en/moderation/")
        self.page.fill("[name=username]", "bob")
        self.page.fill("[name=password]", PASSWORD)
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()

    def test_a_moderator_sets_up_totp_then_logs_in_with_it(self):
        page = self.page
        self.log_in()
        self.assertIn("/en/comptes/deux-facteurs/", page.url)  # not the queue
        self.assertEqual(page.locator(".qr svg").count(), 1)  # the QR code, drawn by the server
        secret = page.locator("#totp-secret").inner_text()
        page.fill("[name=token]", code(secret))
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        codes = page.locator("#recovery-codes code").all_inner_texts()
        self.assertEqual(len(codes), 10)
        page.get_by_role("link", name="Continue").click()
        page.wait_for_url("**/en/moderation/")
        page.locator("nav form button[type=submit]").click()  # log out
        page.wait_for_load_state()

        self.log_in()
        self.assertIn("/en/comptes/deux-facteurs/verifier/", page.url)
        page.goto(self.live_server_url + "/en/moderation/")
        self.assertIn("/en/comptes/deux-facteurs/verifier/", page.url)  # still no queue
        # A code is accepted once: the next period's (within the tolerated drift) opens the queue.
        page.fill("[name=token]", code(secret, steps_ahead=1))
        page.click("main form button[type=submit]")
        page.wait_for_url("**/en/moderation/")
        self.assertEqual(page.locator("h1").count(), 1)
        self.assert_no_foreign_requests()
