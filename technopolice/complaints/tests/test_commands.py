import datetime
import shutil
import stat
import tempfile
import zipfile
from io import StringIO
from pathlib import Path
from unittest import mock

from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import SimpleTestCase
from django.utils import timezone, translation

from technopolice.complaints import actions
from technopolice.complaints.models import Campaign, ExportLog, Signatory
from technopolice.lib import crypto, sealing

from .base import ComplaintsTestCase
from .factories import CampaignFactory, sign_data
from .test_export import KEY_FILE, ExportTestCase, table, unzip


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


class CommandTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        # Both ask for the news, so the server keeps their addresses under its own keys.
        for email in ["a@example.net", "b@example.net"]:
            data = sign_data(self.campaign, email=email, wants_news="on")
            self.client.post(f"/en/plaintes/{self.campaign.slug}/", data)
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


def run_in_english(*args) -> str:
    """The commands speak the platform's language (French by default); the tests read English."""
    with translation.override("en"):
        return run(*args)


class ComplaintKeysCommandTests(SimpleTestCase):
    """Run on the organiser's machine: no database (SimpleTestCase refuses any query)."""

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="tp-keys-"))
        self.addCleanup(shutil.rmtree, self.folder)

    def test_it_writes_a_private_key_only_its_owner_reads_and_prints_the_public_key(self):
        path = self.folder / "campaign.key"
        out = run_in_english("complaint_keys", "--output", str(path), "--label", "VSA 2027")
        public = out.strip().splitlines()[-1]
        self.assertEqual(sealing.check_public_key(public), public)
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)
        text = path.read_text()
        self.assertIn("# For: VSA 2027", text)
        private = sealing.read_private_key(text)
        self.assertEqual(sealing.public_key_of(private), public)
        self.assertEqual(sealing.unseal(private, sealing.seal(public, "Zoé")), "Zoé")
        self.assertNotIn(text.splitlines()[-1], out)  # the private key is not printed

    def test_a_label_beyond_ascii_is_written_and_the_file_read_back(self):
        # Found trying the French demo from a fresh clone: "démonstration" could not be written.
        path = self.folder / "campaign.key"
        out = run_in_english("complaint_keys", "--output", str(path), "--label", "VSA — Île-de-France")
        public = out.strip().splitlines()[-1]
        self.assertIn("# For: VSA — Île-de-France", path.read_text(encoding="utf-8"))
        self.assertEqual(sealing.public_key_of(sealing.read_private_key(path.read_bytes())), public)

    def test_it_refuses_to_overwrite_a_key_unless_forced(self):
        path = self.folder / "campaign.key"
        run("complaint_keys", "--output", str(path))
        first = path.read_text()
        with self.assertRaisesMessage(CommandError, "exists: it may be the key of a campaign"):
            run_in_english("complaint_keys", "--output", str(path))
        self.assertEqual(path.read_text(), first)
        path.chmod(0o644)
        run("complaint_keys", "--output", str(path), "--force")
        self.assertNotEqual(path.read_text(), first)
        self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600)

    def test_bad_arguments_are_clear(self):
        with self.assertRaisesMessage(CommandError, "--output"):
            run_in_english("complaint_keys")
        with self.assertRaisesMessage(CommandError, "Cannot write"):
            run_in_english("complaint_keys", "--output", str(self.folder / "no-such-folder" / "campaign.key"))


class ExportCommandTests(ExportTestCase):
    """The campaign of the web export's tests, exported where the key is."""

    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp(prefix="tp-export-"))
        self.addCleanup(shutil.rmtree, self.folder)
        self.key = self.folder / "campaign.key"
        self.key.write_bytes(KEY_FILE)
        self.output = self.folder / "filing.zip"

    def export(self, *args, key=None, user="carol"):
        return run_in_english(
            "export_complaint",
            self.campaign.slug,
            "--key",
            str(key or self.key),
            "--output",
            str(self.output),
            "--user",
            user,
            *args,
        )

    def test_it_writes_the_zip_and_logs_it_in_the_users_name(self):
        self.assertIn("2 signatories exported", self.export())
        self.assertEqual(stat.S_IMODE(self.output.stat().st_mode), 0o600)
        files = unzip(self.output.read_bytes())
        self.assertEqual(sorted(row["First name"] for row in table(files)), ["Yann", "Zoé"])
        self.assertIn("mandates/v1.md", files)
        log = ExportLog.objects.get()
        self.assertEqual((log.user, log.rows, log.file_format, log.grievance), (self.carol, 2, "zip", ""))

    def test_one_grievance(self):
        self.assertIn("1 signatory exported", self.export("--grievance", str(self.faces.pk)))
        self.assertEqual([row["First name"] for row in table(unzip(self.output.read_bytes()))], ["Yann"])
        self.assertEqual(ExportLog.objects.get().grievance, self.faces.title)

    def test_the_wrong_key_fails_clearly_and_logs_nothing(self):
        other = self.folder / "other.key"
        other.write_text(sealing.key_file_text(*sealing.generate_keypair()))
        with self.assertRaisesMessage(CommandError, "This private key is not the one of this campaign"):
            self.export(key=other)
        self.assertFalse(self.output.exists())
        self.assertFalse(ExportLog.objects.exists())

    def test_bad_arguments_are_clear_and_log_nothing(self):
        junk = self.folder / "junk.key"
        junk.write_bytes(b"%PDF-1.4")
        cases = [
            (lambda: self.export(key=junk), "is not a campaign private key file"),
            (lambda: self.export(key=self.folder / "missing.key"), "Cannot read"),
            (lambda: self.export(user="nobody"), "No active user 'nobody'"),
            (lambda: self.export(user="alice"), "alice may not export signatories"),
            (lambda: self.export("--grievance", "999999"), "has no grievance 999999"),
            (lambda: self.export("--grievance", "x"), "invalid int value"),
            (
                lambda: run_in_english(
                    "export_complaint", "nope", "--key", str(self.key), "--output", "x", "--user", "carol"
                ),
                "No campaign with the slug 'nope'",
            ),
            (
                lambda: run_in_english("export_complaint", self.campaign.slug),
                "the following arguments are required",
            ),
        ]
        for command, message in cases:
            with self.subTest(message), self.assertRaisesMessage(CommandError, message):
                command()
        self.assertFalse(ExportLog.objects.exists())

    def test_it_does_not_overwrite_a_file_unless_forced(self):
        self.output.write_bytes(b"precious")
        with self.assertRaisesMessage(CommandError, "exists"):
            self.export()
        self.assertEqual(self.output.read_bytes(), b"precious")
        self.assertFalse(ExportLog.objects.exists())
        self.export("--force")
        self.assertTrue(zipfile.is_zipfile(self.output))

    def test_a_database_it_cannot_read_is_one_clear_line(self):
        broken = mock.patch.object(Campaign.objects, "filter", side_effect=OperationalError("no such table"))
        with broken, self.assertRaisesMessage(CommandError, "database cannot be read (no such table)"):
            self.export()
