"""The complaints' demo: every state of a campaign, an open one signed by a few people, and the
private key an organiser would keep, written for the person trying the demo."""

import stat
import tempfile
from pathlib import Path

from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from technopolice.complaints import actions, demo, tasks
from technopolice.complaints.models import Campaign, CampaignState, Signatory
from technopolice.lib import sealing
from technopolice.testing.cases import BaseTestCase

from .factories import opened


class DemoTests(BaseTestCase):
    """With the site's task queue (a database table, not the tests' immediate backend): what the
    demo leaves for the worker is what a real demo leaves."""

    def setUp(self):
        super().setUp()
        cache.clear()
        actions.forget_signings()
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.data_dir = Path(directory.name)
        overridden = override_settings(DATA_DIR=self.data_dir)
        overridden.enable()
        self.addCleanup(overridden.disable)

    def load(self) -> str:
        with translation.override("en"):
            return demo.load_campaigns()

    def test_it_shows_every_state_with_an_open_signed_campaign(self):
        summary = self.load()
        states = {c.slug: c.state for c in Campaign.objects.all()}
        self.assertEqual(
            states,
            {
                demo.OPEN: CampaignState.OPEN,
                demo.SCHEDULED: CampaignState.SCHEDULED,
                demo.DRAFT: CampaignState.DRAFT,
            },
        )
        campaign = Campaign.objects.get(slug=demo.OPEN)
        self.assertEqual(campaign.grievances.count(), 4)
        self.assertEqual(campaign.location_required, "commune")
        self.assertIn("CNIL", campaign.current_mandate().text)
        confirmed = Signatory.objects.filter(campaign=campaign).confirmed()
        self.assertEqual(confirmed.count(), len(demo.SIGNATORIES))
        # Nothing owed to the example addresses, and the server forgot them as after sending:
        # the worker's sweep finds nothing to send.
        self.assertFalse(Signatory.objects.exclude(mail_kind="").exists())
        self.assertFalse(Signatory.objects.exclude(email_sealed="").exists())
        self.assertEqual(tasks.send_signatory_emails.call(), "0 sent, 0 put off")
        self.assertEqual(mail.outbox, [])
        self.assertIn(
            f"5 signatories added); the private key that opens their signatories is in {demo.key_path()}",
            summary,
        )
        page = self.client.get(f"/en/plaintes/{demo.OPEN}/")
        self.assertContains(page, '<strong id="total-signatories">5</strong>', html=True)
        listing = self.client.get("/en/plaintes/")
        self.assertContains(listing, "Reconnaissance faciale dans les gares")
        self.assertNotContains(listing, "Drones au-dessus des manifestations")

    def test_the_key_file_is_private_and_opens_the_signatories(self):
        self.load()
        path = self.data_dir / demo.KEY_FILE_NAME
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        key_text = path.read_text()
        campaign = Campaign.objects.get(slug=demo.OPEN)
        self.assertEqual(sealing.public_key_of(sealing.read_private_key(key_text)), campaign.public_key)
        names = {opened(s, key_text.splitlines()[-1])["last_name"] for s in campaign.signatories.all()}
        self.assertEqual(names, {last for _first, last, *_rest in demo.SIGNATORIES})
        self.assertNotIn(key_text.splitlines()[-1], str(list(Campaign.objects.values())))

    def test_in_french_too(self):
        # The key file's comment names the demo campaigns in the language of the run; the French
        # one ("démonstration") once stopped ./dev demo on a fresh clone.
        with translation.override("fr"):
            demo.load_campaigns()
        text = demo.key_path().read_text(encoding="utf-8")
        self.assertIn("démonstration", text)
        self.assertEqual(len(sealing.read_private_key(demo.key_path().read_bytes()).encode()), 32)

    def test_a_second_run_changes_nothing(self):
        self.load()
        key_text = (self.data_dir / demo.KEY_FILE_NAME).read_text()
        counts = (Campaign.objects.count(), Signatory.objects.count())
        summary = self.load()
        self.assertIn("0 created, 0 signatories added", summary)
        self.assertEqual((Campaign.objects.count(), Signatory.objects.count()), counts)
        self.assertEqual((self.data_dir / demo.KEY_FILE_NAME).read_text(), key_text)

    def test_a_lost_key_file_is_said_not_hidden(self):
        self.load()
        (self.data_dir / demo.KEY_FILE_NAME).unlink()
        summary = self.load()
        self.assertIn("some were sealed to an earlier key", summary)
        self.assertEqual(Campaign.objects.count(), 3)  # the campaigns and their signatories stay
