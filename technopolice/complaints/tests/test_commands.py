import datetime
from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.utils import timezone

from technopolice.complaints import actions
from technopolice.complaints.models import Campaign, Signatory
from technopolice.lib import crypto

from .base import ComplaintsTestCase
from .factories import CampaignFactory, sign_data


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class CommandTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        for email in ["a@example.net", "b@example.net"]:
            self.client.post(f"/en/plaintes/{self.campaign.slug}/", sign_data(self.campaign, email=email))
        self.a, self.b = Signatory.objects.order_by("pk")
        Signatory.objects.filter(pk=self.a.pk).update(confirmed_at=timezone.now())

    def age(self, days):
        Signatory.objects.update(signed_at=timezone.now() - datetime.timedelta(days=days))

    def test_delete_unconfirmed_keeps_recent_and_confirmed_sign_ups(self):
        self.assertIn("deleted 0", run("delete_unconfirmed"))
        self.age(8)
        self.assertIn("would delete 1", run("delete_unconfirmed", "--dry-run"))
        self.assertEqual(Signatory.objects.count(), 2)
        self.assertIn("deleted 1", run("delete_unconfirmed"))
        self.assertEqual(list(Signatory.objects.all()), [self.a])

    def test_delete_unconfirmed_refuses_a_bad_number_of_days(self):
        with self.assertRaisesMessage(CommandError, "at least 1"):
            run("delete_unconfirmed", "--days", "0")

    def test_purge_does_nothing_before_the_retention_ends(self):
        self.assertIn("deleted 0", run("purge_campaign", self.campaign.slug))
        self.assertEqual(Signatory.objects.count(), 2)

    def test_purge_deletes_personal_data_past_retention_and_keeps_the_count(self):
        Campaign.objects.update(closes_at=timezone.now() - datetime.timedelta(days=91))
        self.assertIn("would delete 2", run("purge_campaign", self.campaign.slug, "--dry-run"))
        self.assertEqual(Signatory.objects.count(), 2)
        self.assertIn("deleted 2", run("purge_campaign", self.campaign.slug))
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(Campaign.objects.get().purged, 1)
        self.assertContains(
            self.client.get(f"/en/plaintes/{self.campaign.slug}/"), 'id="total-signatories">1<'
        )

    def test_purge_refuses_an_unknown_campaign(self):
        with self.assertRaisesMessage(CommandError, "No campaign with the slug 'nope'"):
            run("purge_campaign", "nope")

    def test_rotation_reseals_with_the_new_key_and_the_old_key_can_go(self):
        old = self.settings_keys()
        new = Fernet.generate_key().decode()
        with self.settings(COMPLAINTS_KEYS=[new, *old]):
            self.assertIn("re-encrypted 2", run("rotate_complaints_key"))
        with self.settings(COMPLAINTS_KEYS=[new]):
            a = Signatory.objects.get(pk=self.a.pk)
            self.assertEqual(a.email, "a@example.net")
            self.assertEqual(a.email_index, actions.email_index("A@example.net"))  # duplicates still found

    def test_rotation_without_the_old_key_fails_clearly(self):
        with self.settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            with self.assertRaisesMessage(CommandError, "Keep the old key"):
                run("rotate_complaints_key")

    def settings_keys(self):
        from django.conf import settings

        return list(settings.COMPLAINTS_KEYS)


class CryptoTests(ComplaintsTestCase):
    def test_sealing_is_authenticated_and_randomised(self):
        one, two = crypto.seal("Zoé"), crypto.seal("Zoé")
        self.assertNotEqual(one, two)
        self.assertEqual(crypto.unseal(one), "Zoé")
        tampered = one[:-5] + ("A" if one[-5] != "A" else "B") + one[-4:]
        with self.assertRaises(crypto.CryptoError):
            crypto.unseal(tampered)

    def test_the_blind_index_normalises_and_is_keyed(self):
        self.assertEqual(actions.email_index(" Zoe@Example.NET"), actions.email_index("zoe@example.net"))
        index = actions.email_index("zoe@example.net")
        self.assertNotIn("zoe", index)
        with self.settings(COMPLAINTS_HASH_KEY="another"):
            self.assertNotEqual(actions.email_index("zoe@example.net"), index)


class CheckTests(ComplaintsTestCase):
    def test_bad_keys_stop_the_site_at_start_up(self):
        from technopolice.complaints.checks import check_keys

        self.assertEqual(check_keys(), [])
        with self.settings(COMPLAINTS_KEYS=["not-a-key"], COMPLAINTS_HASH_KEY="short"):
            self.assertEqual([e.id for e in check_keys()], ["complaints.E001", "complaints.E003"])
        with self.settings(COMPLAINTS_KEYS=[]):
            self.assertEqual([e.id for e in check_keys()], ["complaints.E002"])
