import csv
import io
import time
from unittest import mock

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from technopolice.complaints import actions
from technopolice.complaints.forms import SignForm
from technopolice.complaints.models import ExportLog, Signatory
from technopolice.testing.cases import PASSWORD

from .base import ComplaintsTestCase
from .factories import CampaignFactory, sign_data


def signed(campaign, email, grievances, first_name="Zoé"):
    form = SignForm(campaign, sign_data(campaign, email=email, grievances=grievances, first_name=first_name))
    assert form.is_valid(), form.errors
    actions.sign(form.signature())
    Signatory.objects.filter(email_index=actions.email_index(email)).update(confirmed_at=timezone.now())


class ExportTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        self.cctv, self.faces = self.campaign.grievances.all()
        signed(self.campaign, "zoe@example.net", [self.cctv.pk], "Zoé")
        signed(self.campaign, "yann@example.net", [self.faces.pk], "Yann")
        signed(self.campaign, "unconfirmed@example.net", [self.cctv.pk], "Ulysse")
        Signatory.objects.filter(email_index=actions.email_index("unconfirmed@example.net")).update(
            confirmed_at=None
        )
        self.url = f"/en/plaintes/{self.campaign.slug}/export/"

    def post(self, **data):
        return self.client.post(self.url, {"file_format": "csv", "password": PASSWORD, **data})

    def test_anonymous_visitors_are_sent_to_log_in(self):
        r = self.client.get(self.url)
        self.assertEqual(r.status_code, 302)
        self.assertTrue(r.url.startswith("/en/admin/login/"))

    def test_staff_without_the_permission_are_refused(self):
        for user in [self.alice, self.bob, self.mallory]:
            self.login(user)
            self.assertEqual(self.client.get(self.url).status_code, 403)
            self.assertEqual(self.post().status_code, 403)
        self.assertFalse(ExportLog.objects.exists())

    def test_it_asks_the_password_again(self):
        self.login(self.carol)
        r = self.post(password="wrong")  # noqa: S106
        self.assertContains(r, "not your password")
        self.assertFalse(ExportLog.objects.exists())

    @override_settings(RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR=3)
    def test_wrong_passwords_are_limited_per_person_until_the_window_passes(self):
        self.login(self.carol)
        for _ in range(3):
            self.assertContains(self.post(password="wrong"), "not your password")  # noqa: S106
        r = self.post()
        self.assertContains(r, "Too many wrong passwords: you may try again in", status_code=429)
        self.assertNotIn("Content-Disposition", r)
        self.assertFalse(ExportLog.objects.exists())
        with mock.patch("technopolice.lib.ratelimit.time.time", return_value=time.time() + 3600):
            self.assertEqual(self.post().status_code, 200)
        self.assertEqual(ExportLog.objects.count(), 1)

    @override_settings(RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR=3)
    def test_right_passwords_do_not_count(self):
        self.login(self.carol)
        for _ in range(5):
            self.assertIn("Content-Disposition", self.post())
        self.assertContains(self.post(password="wrong"), "not your password")  # noqa: S106

    def test_it_exports_confirmed_signatories_as_csv_and_logs_it(self):
        self.login(self.carol)
        r = self.post()
        self.assertEqual(r["Content-Type"], "text/csv")
        self.assertIn("attachment", r["Content-Disposition"])
        table = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        self.assertEqual(sorted(row["First name"] for row in table), ["Yann", "Zoé"])
        self.assertIn("1 (", table[0]["Mandate version"])
        log = ExportLog.objects.get()
        self.assertEqual(
            (log.user, log.campaign, log.rows, log.file_format, log.grievance),
            (self.carol, self.campaign, 2, "csv", ""),
        )

    def test_it_restricts_the_export_to_one_grievance(self):
        self.login(self.carol)
        table = list(
            csv.DictReader(io.StringIO(self.post(grievance=self.faces.pk).content.decode("utf-8-sig")))
        )
        self.assertEqual([row["First name"] for row in table], ["Yann"])
        self.assertEqual(ExportLog.objects.get().grievance, self.faces.title)

    def test_it_exports_a_pdf_list_of_mandates(self):
        self.login(self.carol)
        r = self.post(file_format="pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertEqual(ExportLog.objects.get().rows, 2)

    def test_formulas_in_names_stay_text_in_the_csv(self):
        signed(self.campaign, "evil@example.net", [self.cctv.pk], '=HYPERLINK("http://x","y")')
        self.login(self.carol)
        table = list(csv.DictReader(io.StringIO(self.post().content.decode("utf-8-sig"))))
        self.assertIn('\'=HYPERLINK("http://x","y")', [row["First name"] for row in table])

    def test_the_pdf_handles_names_beyond_latin_1(self):
        signed(self.campaign, "lech@example.net", [self.cctv.pk], "Łukasz Ωmega Жанна")
        self.login(self.carol)
        r = self.post(file_format="pdf")
        self.assertEqual(r.status_code, 200)
        self.assertTrue(r.content.startswith(b"%PDF"))
        self.assertEqual(ExportLog.objects.get().rows, 3)

    def test_it_refuses_a_grievance_of_another_campaign(self):
        self.login(self.carol)
        other = CampaignFactory().grievances.first()
        self.assertContains(self.post(grievance=other.pk), "Select a valid choice")
        self.assertFalse(ExportLog.objects.exists())

    def test_the_audit_log_cannot_be_changed_nor_deleted(self):
        self.login(self.carol)
        self.post()
        log = ExportLog.objects.get()
        log.rows = 0
        with self.assertRaises(ValidationError):
            log.save()
        with self.assertRaises(ValidationError):
            log.delete()
        self.assertEqual(ExportLog.objects.get().rows, 2)

    def test_the_admin_shows_the_log_read_only(self):
        self.login(self.carol)
        self.post()
        log = ExportLog.objects.get()
        self.assertEqual(self.client.get("/admin/complaints/exportlog/").status_code, 200)
        r = self.client.post(f"/admin/complaints/exportlog/{log.pk}/delete/", {"post": "yes"})
        self.assertEqual(r.status_code, 403)
        self.assertTrue(ExportLog.objects.exists())
        self.assertFalse(self.carol.has_perm("complaints.change_exportlog"))

    def test_only_administrators_hold_the_export_permission(self):
        self.assertTrue(self.carol.has_perm("complaints.export_signatories"))
        for user in [self.alice, self.bob, self.mallory]:
            self.assertFalse(user.has_perm("complaints.export_signatories"))
