"""The filing export: a zip opened with the organiser's private key, given in the request and
kept in memory only; permissioned, password again, audited."""

import csv
import hashlib
import io
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.utils import timezone, translation
from pypdf import PdfReader

from technopolice.complaints import actions, exports
from technopolice.complaints.forms import SignForm
from technopolice.complaints.models import Campaign, ExportLog, MandateVersion, Signatory
from technopolice.lib import sealing, uploads
from technopolice.registry.tests.factories import DepartmentFactory
from technopolice.testing.cases import PASSWORD

from .base import ComplaintsTestCase
from .factories import PRIVATE_KEY, PUBLIC_KEY, CampaignFactory, sign_data

KEY_FILE = sealing.key_file_text(PRIVATE_KEY, PUBLIC_KEY, "tests").encode()


def signed(campaign, email, grievances, first_name="Zoé", **extra):
    """A confirmed signatory, signed up through the real form and action."""
    data = sign_data(campaign, email=email, grievances=grievances, first_name=first_name, **extra)
    form = SignForm(campaign, data)
    assert form.is_valid(), form.errors
    actions.sign(form.signature())
    Signatory.objects.filter(email_index=actions.email_index(email)).update(confirmed_at=timezone.now())


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def table(files: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files["signatories.csv"].decode("utf-8-sig"))))


def pdf_text(files: dict) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files["signatories.pdf"])).pages)


class ExportTestCase(ComplaintsTestCase):
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

    def post(self, key: bytes | None = KEY_FILE, **data):
        """The form as a browser sends it: multipart, the key as an uploaded file."""
        if key is not None:
            data.setdefault("key_file", SimpleUploadedFile("campaign.key", key, "application/octet-stream"))
        return self.client.post(self.url, {"password": PASSWORD, **data})

    def files(self, **data) -> dict[str, bytes]:
        r = self.post(**data)
        self.assertEqual(r.status_code, 200, r.content[:2000])
        self.assertEqual(r["Content-Type"], "application/zip")
        return unzip(r.content)


class PermissionTests(ExportTestCase):
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

    def test_the_form_asks_for_the_key_in_a_multipart_form(self):
        self.login(self.carol)
        r = self.client.get(self.url)
        self.assertContains(r, 'enctype="multipart/form-data"')
        self.assertContains(r, 'name="key_file"')
        self.assertContains(r, 'name="key_text"')

    def test_it_asks_the_password_again(self):
        self.login(self.carol)
        r = self.post(password="wrong")  # noqa: S106
        self.assertContains(r, "not your password", status_code=400)
        self.assertFalse(ExportLog.objects.exists())

    @override_settings(RATELIMIT_ACCOUNT_LOGIN_FAILURES_PER_HOUR=3)
    def test_wrong_passwords_are_limited_per_person_until_the_window_passes(self):
        self.login(self.carol)
        for _ in range(3):
            self.assertContains(self.post(password="wrong"), "not your password", status_code=400)  # noqa: S106
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
        self.assertContains(self.post(password="wrong"), "not your password", status_code=400)  # noqa: S106

    def test_only_administrators_hold_the_export_permission(self):
        self.assertTrue(self.carol.has_perm("complaints.export_signatories"))
        for user in [self.alice, self.bob, self.mallory]:
            self.assertFalse(user.has_perm("complaints.export_signatories"))


class ZipTests(ExportTestCase):
    def test_the_zip_holds_its_files_and_their_checksums(self):
        self.login(self.carol)
        r = self.post()
        self.assertIn(f'filename="{self.campaign.slug}-', r["Content-Disposition"])
        self.assertEqual(r["Cache-Control"], "no-store")
        files = unzip(r.content)
        self.assertEqual(
            sorted(files),
            ["README.txt", "SHA256SUMS", "mandates/v1.md", "signatories.csv", "signatories.pdf"],
        )
        sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
        self.assertEqual(sorted(sums), sorted(set(files) - {"SHA256SUMS"}))
        for name, digest in sums.items():
            self.assertEqual(hashlib.sha256(files[name]).hexdigest(), digest, name)
        self.assertTrue(files["signatories.pdf"].startswith(b"%PDF"))

    def test_it_exports_every_confirmed_signatory_and_logs_it(self):
        self.login(self.carol)
        rows = table(self.files())
        self.assertEqual(sorted(row["First name"] for row in rows), ["Yann", "Zoé"])
        zoe = next(row for row in rows if row["First name"] == "Zoé")
        mandate = self.campaign.current_mandate()
        self.assertEqual(
            {k: zoe[k] for k in ["Last name", "Email", "Mandate version", "Mandate SHA-256", "Grievances"]},
            {
                "Last name": "Quenouille",
                "Email": "zoe@example.net",
                "Mandate version": "1",
                "Mandate SHA-256": mandate.content_hash,
                "Grievances": self.cctv.title,
            },
        )
        self.assertNotIn("Postal address", zoe)  # the campaign asks for no address: none is exported
        log = ExportLog.objects.get()
        self.assertEqual(
            (log.user, log.campaign, log.rows, log.file_format, log.grievance),
            (self.carol, self.campaign, 2, "zip", ""),
        )

    def test_the_address_is_exported_when_the_campaign_asks_for_it(self):
        self.campaign.location_required = "address"
        self.campaign.save()
        actions.forget_signings()
        DepartmentFactory(code="42", name="Loire")
        extra = {"street": "7 impasse Verlaine", "postal_code": "42000", "commune": "Saint-Étienne"}
        signed(self.campaign, "ines@example.net", [self.cctv.pk], "Inès", **extra)
        self.login(self.carol)
        files = self.files()
        ines = next(row for row in table(files) if row["First name"] == "Inès")
        self.assertEqual(ines["Postal address"], "7 impasse Verlaine, 42000 Saint-Étienne")
        self.assertEqual(ines["Department"], "42")
        text = pdf_text(files)
        self.assertIn("Postal address", text)
        self.assertIn("Saint-Étienne", text)
        self.assertIn("ines@example.net", text)

    def test_the_mandate_texts_and_the_count_of_each_version(self):
        second = MandateVersion.objects.create(
            campaign=self.campaign, number=2, text="Je donne **mandat**, version deux.\n"
        )
        actions.forget_signings()
        signed(self.campaign, "xavier@example.net", [self.cctv.pk], "Xavier")  # reads version 2
        MandateVersion.objects.create(campaign=self.campaign, number=3, text="Jamais signée.")
        self.login(self.carol)
        files = self.files()
        self.assertNotIn("mandates/v3.md", files)  # only the versions people signed
        for number in (1, 2):
            version = MandateVersion.objects.get(campaign=self.campaign, number=number)
            self.assertEqual(files[f"mandates/v{number}.md"].decode(), version.text)
            self.assertEqual(
                hashlib.sha256(files[f"mandates/v{number}.md"]).hexdigest(), version.content_hash
            )
        readme = files["README.txt"].decode()
        first = self.campaign.mandates.get(number=1)
        self.assertIn(f"SHA-256 {first.content_hash}), signatories: 2", readme)
        self.assertIn(f"SHA-256 {second.content_hash}), signatories: 1", readme)
        self.assertIn("Confirmed signatories: 3", readme)
        self.assertIn(f"Grievance “{self.cctv.title}”, signatories: 2", readme)
        self.assertIn("Authority: CNIL", readme)
        self.assertIn("La Quadrature du Net", readme)
        versions = {row["First name"]: row["Mandate version"] for row in table(files)}
        self.assertEqual(versions, {"Zoé": "1", "Yann": "1", "Xavier": "2"})
        self.assertIn("version deux", pdf_text(files))

    def test_it_restricts_the_export_to_one_grievance(self):
        self.login(self.carol)
        files = self.files(grievance=self.faces.pk)
        self.assertEqual([row["First name"] for row in table(files)], ["Yann"])
        self.assertIn(f"Only the signatories of: {self.faces.title}", files["README.txt"].decode())
        self.assertEqual(ExportLog.objects.get().grievance, self.faces.title)

    def test_it_refuses_a_grievance_of_another_campaign(self):
        self.login(self.carol)
        other = CampaignFactory().grievances.first()
        self.assertContains(self.post(grievance=other.pk), "Select a valid choice", status_code=400)
        self.assertFalse(ExportLog.objects.exists())

    def test_formulas_in_names_stay_text_in_the_csv(self):
        signed(self.campaign, "evil@example.net", [self.cctv.pk], '=HYPERLINK("http://x","y")')
        self.login(self.carol)
        self.assertIn('\'=HYPERLINK("http://x","y")', [row["First name"] for row in table(self.files())])

    def test_the_pdf_holds_names_beyond_latin_1(self):
        signed(self.campaign, "lech@example.net", [self.cctv.pk], "Łukasz Ωmega Жанна")
        self.login(self.carol)
        text = pdf_text(self.files())
        for word in ["Łukasz", "Ωmega", "Жанна", "zoe@example.net", "Quenouille"]:
            self.assertIn(word, text)
        self.assertEqual(ExportLog.objects.get().rows, 3)


class KeyTests(ExportTestCase):
    def test_a_pasted_key_works_as_well(self):
        self.login(self.carol)
        r = self.post(key=None, key_text=PRIVATE_KEY)
        self.assertEqual(sorted(row["First name"] for row in table(unzip(r.content))), ["Yann", "Zoé"])

    def test_without_a_key_it_asks_for_one(self):
        self.login(self.carol)
        self.assertContains(self.post(key=None), "Give the campaign&#x27;s private key", status_code=400)
        self.assertFalse(ExportLog.objects.exists())

    def test_a_file_that_is_not_a_key_is_refused_clearly(self):
        self.login(self.carol)
        for junk in [b"%PDF-1.4 not a key", b"\xff\xfe\x00", b"A" * 44, b"x" * 10_000]:
            r = self.post(key=junk)
            self.assertContains(r, "This is not a campaign private key", status_code=400)
        self.assertFalse(ExportLog.objects.exists())

    def test_the_wrong_key_is_refused_and_logs_nothing(self):
        other_private, other_public = sealing.generate_keypair()
        self.login(self.carol)
        r = self.post(key=sealing.key_file_text(other_private, other_public).encode())
        self.assertContains(r, "This private key is not the one of this campaign", status_code=400)
        self.assertContains(r, other_public, status_code=400)
        self.assertNotContains(r, "Zoé", status_code=400)
        r = self.post(key=None, key_text=other_private)
        self.assertContains(r, "This private key is not the one of this campaign", status_code=400)
        self.assertNotContains(r, other_private, status_code=400)  # a pasted key is never shown back
        self.assertFalse(ExportLog.objects.exists())

    def test_a_row_the_right_key_cannot_open_is_refused_and_logs_nothing(self):
        yann = Signatory.objects.get(email_index=actions.email_index("yann@example.net"))
        sealed = yann.last_name_sealed
        flipped = "AAAA" if sealed[-6:-2] != "AAAA" else "BBBB"
        Signatory.objects.filter(pk=yann.pk).update(last_name_sealed=sealed[:-6] + flipped + sealed[-2:])
        self.login(self.carol)
        r = self.post()
        self.assertContains(r, f"Signatory #{yann.pk} cannot be opened", status_code=422)
        self.assertFalse(ExportLog.objects.exists())

    def test_the_key_is_kept_in_memory_only_and_never_written(self):
        """The view swaps in the memory-only upload handler, and no file appears on disk: not under
        MEDIA_ROOT, not in the temporary folder Django would spool an upload to."""
        temp = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
        watched = [Path(settings.MEDIA_ROOT), temp]
        before = {folder: set(folder.rglob("*")) if folder.exists() else set() for folder in watched}
        handlers = []
        real = uploads.memory_only

        def spy(request, **kwargs):
            real(request, **kwargs)
            handlers.append(list(request.upload_handlers))

        self.login(self.carol)
        with (
            mock.patch("technopolice.complaints.views.export.memory_only", spy),
            override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0),  # Django's own handlers would spool it
        ):
            r = self.post()
        self.assertEqual(r.status_code, 200)
        self.assertEqual([type(h) for h in handlers[0]], [uploads.MemoryOnlyUploadHandler])
        for folder in watched:
            after = set(folder.rglob("*")) if folder.exists() else set()
            new = [p for p in after - before[folder] if p.is_file()]
            self.assertEqual([p for p in new if KEY_FILE in p.read_bytes()], [], folder)
            self.assertEqual([p for p in new if "upload" in p.name], [], folder)

    def test_the_key_is_not_kept_in_the_session_nor_the_log(self):
        self.login(self.carol)
        self.post()
        session = self.client.session
        self.assertNotIn(PRIVATE_KEY, repr(dict(session.items())))
        log = ExportLog.objects.get()
        self.assertNotIn(PRIVATE_KEY, repr(log.__dict__))


class AuditLogTests(ExportTestCase):
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


class PdfLayoutTests(SimpleTestCase):
    def test_a_long_list_runs_over_pages_each_with_its_heading_and_nothing_cut(self):
        campaign = Campaign(title="VSA", filing_organisation="LQDN", location_required="address")
        mandate = MandateVersion(
            number=1, text="Je donne mandat.", content_hash="a" * 64, created_at=timezone.now()
        )
        long_name = "Marie-Chantal-Bénédicte-Éléonore-Гюльнара-Καλλιόπη"
        data = [
            {
                "last_name": f"Quenouille{i}",
                "first_name": long_name,
                "email": f"zoe{i}@example.net",
                "address": "7 impasse Verlaine, 42000 Saint-Étienne",
                "department": "42",
                "confirmed": "2026-12-07 16:00",
                "mandate": "1",
                "grievances": "Réseaux de vidéosurveillance; Reconnaissance faciale",
            }
            for i in range(120)
        ]
        summary = exports.Summary(campaign, None, timezone.localtime(), [mandate], total=len(data))
        with translation.override("en"):
            pages = [
                page.extract_text()
                for page in PdfReader(io.BytesIO(exports.to_pdf(campaign, data, summary))).pages
            ]
        table_pages = pages[:-1]  # the last page is the mandate's text
        self.assertGreater(len(table_pages), 2)
        for text in table_pages:
            self.assertIn("Last name", text)
            self.assertIn("Postal address", text)
        everything = "".join(table_pages).replace("\n", "")
        for i in range(120):
            self.assertIn(f"Quenouille{i}", everything)
        self.assertEqual(everything.count("Гюльнара"), 120)  # a long word is wrapped, not lost
        self.assertIn("Je donne mandat.", pages[-1])
