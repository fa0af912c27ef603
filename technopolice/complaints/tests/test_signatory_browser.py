"""A signatory's own page in a real headless chromium, with JavaScript off and a phone's screen:
opened from the email, it fits the screen, corrects a signature (confirmed from the second
email) and downloads the copy of the mandate."""

import io
import re

import pypdf
from django.core.cache import cache
from django.test import override_settings

from technopolice.complaints.models import Signatory
from technopolice.testing import smtp
from technopolice.testing.browser import BrowserTestCase

from .base import IMMEDIATE_TASKS
from .factories import CampaignFactory, opened, sign_data
from .test_browser import wait_for

PORT = smtp.free_port()


@override_settings(TASKS=IMMEDIATE_TASKS, MAILERS=smtp.mailers(PORT))
class SignatoryPageBrowserTests(BrowserTestCase):
    context_options = {
        "java_script_enabled": False,
        "viewport": {"width": 375, "height": 740},
        "accept_downloads": True,
    }

    def setUp(self):
        super().setUp()
        cache.clear()
        controller, self.inbox = smtp.start(PORT)
        self.addCleanup(controller.stop)
        self.campaign = CampaignFactory(mandate="Je donne mandat à l'association.")

    def mailed_link(self, marker: str, index: int = -1) -> str:
        return re.search(rf"https?://\S+{marker}\S+/", self.inbox.text(index)).group(0)

    def fits_the_phone(self) -> None:
        self.assertLessEqual(self.page.evaluate("document.documentElement.scrollWidth"), 375)

    def test_correct_and_download_from_the_page(self):
        with self.settings(SITE_URL=self.live_server_url):
            self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign))
            wait_for(lambda: self.inbox.messages)
            self.page.goto(self.mailed_link("/confirmer/"))
            self.page.click("text=Confirm my signature")
            self.page.click("text=Your page")
            self.assertIn("Confirmed on", self.page.inner_text("#signature-state"))
            self.fits_the_phone()

            with self.page.expect_download() as download:
                self.page.fill("#id_name", "Zoé Quenouille")
                self.page.click("text=Download a copy of my mandate")
            pdf = pypdf.PdfReader(io.BytesIO(download.value.path().read_bytes()))
            self.assertIn("Je donne mandat à l'association.", pdf.pages[0].extract_text())

            self.page.click("text=Change my grievances")
            self.fits_the_phone()
            self.page.fill("#id_email", "wrong@example.net")
            self.page.click("text=Send me the link to confirm")
            self.assertIn("This is not the address", self.page.inner_text("main"))
            self.page.fill("#id_email", "zoe.quenouille@example.net")
            self.page.get_by_label("Reconnaissance faciale").check()
            self.page.fill("#id_last_name", "Quenouille-Martin")
            self.page.check("#id_consent_mandate")
            self.page.click("text=Send me the link to confirm")
            self.assertIn("Check your inbox", self.page.inner_text("h1"))

            wait_for(lambda: len(self.inbox.messages) == 2)
            self.page.goto(self.mailed_link("/modification/"))
            self.page.click("text=Confirm my change")
            self.assertIn("Your change is made", self.page.inner_text("main"))
            signatory = Signatory.objects.get()
            self.assertEqual(opened(signatory)["last_name"], "Quenouille-Martin")
            self.assertEqual(signatory.grievances.count(), 2)
            self.page.click("text=Your page")
            self.assertIn("Reconnaissance faciale", self.page.inner_text("#grievances-joined"))
