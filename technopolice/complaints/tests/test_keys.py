"""Server keys that are not the ones the stored emails were sealed with (a restore without the
backup's environment file): `check --deploy` says so. The identities do not depend on them:
they are sealed to the campaign's key, and the export opens them with the organiser's key
whatever the server's keys."""

from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from technopolice.complaints import checks
from technopolice.complaints.models import ExportLog, Signatory
from technopolice.testing.cases import PASSWORD

from .base import ComplaintsTestCase
from .factories import CampaignFactory
from .test_export import KEY_FILE, signed, table, unzip


def ids(errors) -> list[str]:
    return [error.id for error in errors]


class StoredDataKeyTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        grievance = self.campaign.grievances.first().pk
        signed(self.campaign, "zoe@example.net", [grievance], wants_news="on")  # her email is kept
        signed(self.campaign, "yann@example.net", [grievance], "Yann")  # his is forgotten once sent

    def test_the_latest_signatory_may_have_no_email_kept(self):
        latest = Signatory.objects.latest("pk")
        self.assertEqual(latest.email_sealed, "")  # so the check reads the one before

    def test_the_keys_in_use_pass(self):
        self.assertEqual(checks.check_keys_open_stored_data(), [])

    def test_new_encryption_keys_are_an_error(self):
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            self.assertEqual(ids(checks.check_keys_open_stored_data()), ["complaints.E004"])

    def test_a_new_hash_key_is_an_error(self):
        with override_settings(COMPLAINTS_HASH_KEY="n" * 43):
            self.assertEqual(ids(checks.check_keys_open_stored_data()), ["complaints.E005"])

    def test_the_export_needs_only_the_organisers_key(self):
        self.login(self.carol)
        url = f"/en/plaintes/{self.campaign.slug}/export/"
        key = SimpleUploadedFile("campaign.key", KEY_FILE)
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            r = self.client.post(url, {"key_file": key, "password": PASSWORD})
        self.assertEqual(sorted(row["First name"] for row in table(unzip(r.content))), ["Yann", "Zoé"])
        self.assertEqual(ExportLog.objects.get().rows, 2)


class NothingToCheckTests(ComplaintsTestCase):
    def test_an_empty_database(self):
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            self.assertEqual(checks.check_keys_open_stored_data(), [])

    def test_signatories_whose_emails_were_all_forgotten(self):
        campaign = CampaignFactory()
        signed(campaign, "yann@example.net", [campaign.grievances.first().pk], "Yann")
        self.assertEqual(Signatory.objects.get().email_sealed, "")
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            self.assertEqual(checks.check_keys_open_stored_data(), [])
