"""Keys that are not the ones the signatories were sealed with (a restore without the backup's
environment file): `check --deploy` says so, and the export says what to restore instead of
failing with a traceback."""

from cryptography.fernet import Fernet
from django.test import override_settings

from technopolice.complaints import checks
from technopolice.complaints.models import ExportLog
from technopolice.testing.cases import PASSWORD

from .base import ComplaintsTestCase
from .factories import CampaignFactory
from .test_export import signed


def ids(errors) -> list[str]:
    return [error.id for error in errors]


class StoredDataKeyTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        signed(self.campaign, "zoe@example.net", [self.campaign.grievances.first().pk])

    def test_the_keys_in_use_pass(self):
        self.assertEqual(checks.check_keys_open_stored_data(), [])

    def test_new_encryption_keys_are_an_error(self):
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            self.assertEqual(ids(checks.check_keys_open_stored_data()), ["complaints.E004"])

    def test_a_new_hash_key_is_an_error(self):
        with override_settings(COMPLAINTS_HASH_KEY="n" * 43):
            self.assertEqual(ids(checks.check_keys_open_stored_data()), ["complaints.E005"])

    def test_the_export_with_new_keys_says_what_to_restore(self):
        self.login(self.carol)
        url = f"/en/plaintes/{self.campaign.slug}/export/"
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            r = self.client.post(url, {"file_format": "csv", "password": PASSWORD})
        self.assertContains(r, "restore the keys kept with the backup", status_code=503)
        self.assertFalse(ExportLog.objects.exists())


class EmptyDatabaseTests(ComplaintsTestCase):
    def test_nothing_sealed_nothing_to_check(self):
        with override_settings(COMPLAINTS_KEYS=[Fernet.generate_key().decode()]):
            self.assertEqual(checks.check_keys_open_stored_data(), [])
