"""Each mandate version is public and permanent: its page (text, date, SHA-256, the other
versions) and its exact text as plain text, whose SHA-256 anyone can check."""

import hashlib

from django.utils import timezone

from technopolice.complaints.models import CampaignStatus, MandateVersion

from .base import ComplaintsTestCase
from .factories import CampaignFactory

SECOND = "Je donne **mandat** à l’association.\r\nDeuxième version : <script>alert(1)</script>\n"


class MandatePageTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        self.first = self.campaign.current_mandate()
        self.second = MandateVersion.objects.create(campaign=self.campaign, number=2, text=SECOND)

    def url(self, number, suffix="/"):
        return f"/en/plaintes/{self.campaign.slug}/mandat/{number}{suffix}"

    def test_a_version_shows_its_text_date_hash_and_the_other_versions(self):
        r = self.client.get(self.url(2))
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "<strong>mandat</strong>", html=False)  # Markdown rendered
        self.assertNotContains(r, "<script>alert(1)</script>", html=False)  # and sanitised
        self.assertContains(r, self.second.content_hash)
        self.assertContains(r, f'<time datetime="{timezone.localtime(self.second.created_at).isoformat()}">')
        self.assertContains(r, f'href="{self.url(1)}"')  # the other version, linked
        self.assertContains(r, f'href="{self.url(2, ".txt")}"')
        self.assertContains(r, f'href="/en/plaintes/{self.campaign.slug}/"')

    def test_the_plain_text_is_exactly_what_the_hash_is_of(self):
        for version in (self.first, self.second):
            r = self.client.get(self.url(version.number, ".txt"))
            self.assertEqual(r.status_code, 200)
            self.assertEqual(r["Content-Type"], "text/plain; charset=utf-8")
            self.assertEqual(hashlib.sha256(r.content).hexdigest(), version.content_hash)
        self.assertEqual(self.client.get(self.url(2, ".txt")).content.decode(), SECOND)

    def test_versions_that_do_not_exist_are_not_found(self):
        for url in [self.url(3), self.url(3, ".txt"), "/en/plaintes/nope/mandat/1/"]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(self.client.get(f"/en/plaintes/{self.campaign.slug}/mandat/x/").status_code, 404)

    def test_a_drafts_versions_are_for_staff_only(self):
        self.campaign.status = CampaignStatus.DRAFT
        self.campaign.save()
        for user in [None, self.alice, self.bob, self.mallory]:
            if user:
                self.login(user)
            self.assertEqual(self.client.get(self.url(1)).status_code, 404)
            self.assertEqual(self.client.get(self.url(1, ".txt")).status_code, 404)
        self.login(self.carol)
        self.assertContains(self.client.get(self.url(1)), self.first.content_hash)
        self.assertEqual(self.client.get(self.url(1, ".txt")).status_code, 200)

    def test_posting_is_not_allowed(self):
        self.assertEqual(self.client.post(self.url(1)).status_code, 405)
