"""A draft's launch as staff do it, in a real browser: preview it from the admin (a banner, a
form that cannot be used), publish it with the action on its page, and the public sees it."""

from django.core.cache import cache

from technopolice.accounts.roles import ADMINISTRATORS
from technopolice.complaints import actions
from technopolice.complaints.models import Campaign, CampaignStatus
from technopolice.testing.browser import BrowserTestCase
from technopolice.testing.cases import PASSWORD, current_code, make_user, totp_device

from .factories import CampaignFactory


class LaunchTests(BrowserTestCase):
    context_options = {"viewport": {"width": 375, "height": 740}}

    def setUp(self):
        super().setUp()
        cache.clear()
        actions.forget_signings()
        self.carol_device = totp_device(make_user("carol", ADMINISTRATORS, is_staff=True))
        self.campaign = CampaignFactory(status=CampaignStatus.DRAFT, title="Embargoed launch")
        self.public_url = f"{self.live_server_url}/en/plaintes/{self.campaign.slug}/"

    def log_in(self):
        self.page.goto(f"{self.live_server_url}/en/admin/login/")
        self.page.fill("#id_username", "carol")
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        # Administrators pass a second factor before the admin: the code their app shows now.
        self.page.wait_for_url("**/deux-facteurs/verifier/**")
        self.page.fill("[name=token]", current_code(self.carol_device))
        self.page.click("main form button[type=submit]")
        self.page.wait_for_load_state()

    def test_preview_publish_and_the_public_sees_it(self):
        visitor = self.new_page()
        self.assertEqual(visitor.goto(self.public_url).status, 404)
        visitor.goto(f"{self.live_server_url}/en/plaintes/")
        self.assertNotIn("Embargoed launch", visitor.inner_text("main"))

        self.log_in()
        self.page.goto(f"{self.live_server_url}/en/admin/complaints/campaign/{self.campaign.pk}/change/")
        with self.page.expect_popup() as popup:
            self.page.click("text=Preview (not public)")
        preview = popup.value
        preview.wait_for_load_state()
        self.assertIn("Preview: not public.", preview.inner_text("#preview-banner"))
        self.assertTrue(preview.is_disabled("#id_first_name"))
        self.assertTrue(preview.is_disabled("text=Sign the complaint"))
        width = preview.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 375)

        self.page.select_option("select[name='CHANGE_FORM-action']", "publish")
        self.page.click("button[name=index]")
        self.assertIn("is published", self.page.inner_text(".messagelist"))
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.PUBLISHED)

        self.assertEqual(visitor.goto(self.public_url).status, 200)
        self.assertIn("Open: closes on", visitor.inner_text("main"))
        self.assertFalse(visitor.is_disabled("#id_first_name"))
        self.assertEqual(visitor.locator("#preview-banner").count(), 0)
        self.assert_no_foreign_requests(inline=True)
