import os
import re
import tempfile
import time
import tracemalloc
from unittest import mock

from django.core.cache import cache
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from technopolice.documents.models import Document
from technopolice.lib.tests.test_images import pixel_flood
from technopolice.moderation.models import Proposal, ProposalState
from technopolice.registry.tests.factories import OrganisationFactory
from technopolice.testing.cases import BaseTestCase

from . import builders


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def english(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


class UploadTests(builders.MediaMixin, BaseTestCase):
    url = english("documents:upload")

    def setUp(self):
        super().setUp()
        cache.clear()

    def post(self, client=None, **extra):
        data = {
            "title": "Délibération caméras",
            "kind": "deliberation",
            "files": [upload("d.pdf", builders.pdf("Texte"))],
        }
        data.update(extra)
        return (client or self.client).post(self.url, data)

    def test_it_shows_the_form(self):
        self.assertContains(self.client.get(self.url), 'enctype="multipart/form-data"')

    def test_it_puts_a_contributors_upload_in_the_queue_unpublished(self):
        self.login(self.alice)
        OrganisationFactory(name="Ville de Nice", slug="ville-de-nice")
        response = self.post(issuer="ville-de-nice")
        follow = re.search(r'href="(/[^"]*/moderation/suivi/[^"]+/)"', response.content.decode())
        self.assertIsNotNone(follow, "the page links the private follow-up page")
        self.assertContains(self.client.get(follow[1]), "waiting for moderation")
        proposal = Proposal.objects.get()
        self.assertEqual(
            (proposal.kind, proposal.contributor, proposal.state), ("document", self.alice, "pending")
        )
        document = Document.objects.get()
        self.assertFalse(document.is_published)
        self.assertEqual(proposal.payload["issuer"], "ville-de-nice")
        self.assertEqual(proposal.payload["documents"], [{"id": document.pk, "sha256": document.sha256}])

    def test_nothing_is_public_before_a_moderator_accepts(self):
        self.post()
        document = Document.objects.get()
        for client_user in (None, self.alice, self.mallory):
            self.client.logout()
            if client_user:
                self.login(client_user)
            self.assertEqual(self.client.get(english("documents:detail", document.pk)).status_code, 404)
            self.assertEqual(self.client.get(reverse("documents:file", args=[document.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("documents:list_twin", args=["json"])).json()["count"], 0)
        self.login(self.bob)
        self.assertContains(self.client.get(english("documents:detail", document.pk)), "not public")

    def test_accepting_publishes_and_links_dossiers(self):
        self.post()
        proposal = Proposal.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            proposal.handler.apply(proposal, self.bob)
        document = Document.objects.get()
        self.assertTrue(document.is_published)
        self.assertEqual(document.kind, "deliberation")
        self.client.logout()
        self.assertEqual(self.client.get(document.get_absolute_url()).status_code, 200)

    def test_rejecting_deletes_the_unpublished_file(self):
        self.post()
        document = Document.objects.get()
        path = document.file.path
        proposal = Proposal.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            proposal.decide(ProposalState.REJECTED, self.bob, reason="Hors sujet")
            proposal.save()
        self.assertFalse(Document.objects.exists())
        self.assertFalse(os.path.exists(path))

    def test_an_identical_document_is_stored_once(self):
        data = builders.pdf("Même contenu")
        self.post(files=[upload("a.pdf", data)])
        self.post(files=[upload("copie.pdf", data)])
        self.assertEqual(Document.objects.count(), 1)
        self.assertEqual(Proposal.objects.count(), 2)
        files = [f for _d, _s, names in os.walk(self.media) for f in names]
        self.assertEqual(len(files), 1)

    def test_several_files_at_once(self):
        files = [
            upload("a.pdf", builders.pdf("un")),
            upload("b.jpg", builders.photo()),
            upload("c.txt", b"trois"),
        ]
        self.post(files=files)
        self.assertEqual(Document.objects.count(), 3)
        self.assertEqual(
            sorted(Document.objects.values_list("file_type", flat=True)), ["jpeg", "pdf", "text"]
        )
        self.assertEqual(len(Proposal.objects.get().payload["documents"]), 3)

    def test_one_refused_file_stores_nothing(self):
        files = [
            upload("ok.pdf", builders.pdf("un")),
            upload("photo.jpg", b"<html><script>x</script></html>"),
        ]
        response = self.post(files=files)
        self.assertContains(response, "photo.jpg", status_code=400)
        self.assertFalse(Document.objects.exists())
        self.assertFalse(Proposal.objects.exists())

    def test_the_stored_photo_has_no_metadata_left(self):
        self.post(files=[upload("IMG_0001.jpg", builders.photo())])
        stored = Document.objects.get().file.read()
        for secret in (builders.SERIAL.encode(), builders.AUTHOR.encode(), b"IMG_0001"):
            self.assertNotIn(secret, stored)

    def test_the_upload_is_never_written_to_a_temporary_file(self):
        # 3 MB is above FILE_UPLOAD_MAX_MEMORY_SIZE: Django's default handlers would spool it to disk.
        big = builders.pdf("x") + b"\n%" + b"0" * (3 * 1024 * 1024)
        # A spooled file is deleted when the request ends: catch it being made, not left behind.
        spied = mock.patch.object(
            uploadhandler, "TemporaryUploadedFile", wraps=uploadhandler.TemporaryUploadedFile
        )
        with tempfile.TemporaryDirectory() as spool, override_settings(FILE_UPLOAD_TEMP_DIR=spool):
            with spied as temporary_file:
                response = self.post(files=[upload("big.pdf", big)])
            self.assertEqual(os.listdir(spool), [])
        temporary_file.assert_not_called()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Document.objects.count(), 1)

    def test_ten_pixel_floods_in_one_post_are_refused_at_once_in_the_visitors_language(self):
        # Each is a 171 KB PNG of 7,740 x 7,740 pixels: decoding one cost the web worker 1.2 GB.
        floods = [upload(f"flood{i}.png", pixel_flood()) for i in range(10)]
        with translation.override("fr"):
            url = reverse("documents:upload")
        tracemalloc.start()
        started = time.perf_counter()
        try:
            response = self.client.post(url, {"title": "Plan", "kind": "other", "files": floods})
            seconds, peak = time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertContains(response, "Cette image est trop grande", status_code=400)
        self.assertLess(seconds, 5)
        self.assertLess(peak, 64 * 1024 * 1024)
        self.assertFalse(Document.objects.exists())

    @override_settings(DOCUMENTS_MAX_BYTES=2000)
    def test_a_file_over_the_limit_is_refused_with_a_message(self):
        response = self.post(files=[upload("big.pdf", builders.pdf("x") + b"\n%" + b"0" * 3000)])
        self.assertContains(response, "larger than", status_code=400)
        self.assertFalse(Document.objects.exists())

    def test_it_enforces_csrf(self):
        data = {"title": "x", "kind": "other", "files": [upload("a.txt", b"texte")]}
        self.assertEqual(self.csrf_client.post(self.url, data).status_code, 403)
        self.assertFalse(Document.objects.exists())

    def test_it_refuses_other_methods(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)

    @override_settings(RATELIMIT_DOCUMENTS_PER_HOUR=1)
    def test_it_limits_uploads_per_visitor(self):
        self.post()
        response = self.post(files=[upload("b.txt", b"autre")])
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Document.objects.count(), 1)

    @override_settings(RATELIMIT_DOCUMENTS_PER_HOUR=1)
    def test_robots_do_not_use_up_the_quota_of_people_at_the_same_address(self):
        for _ in range(3):
            self.assertEqual(self.post(website="http://spam.example").status_code, 400)
        self.assertEqual(self.post().status_code, 200)
        self.assertEqual(Document.objects.count(), 1)

    def test_it_refuses_an_unknown_dossier(self):
        response = self.post(dossiers="nexiste-pas")
        self.assertContains(response, "nexiste-pas", status_code=400)
        self.assertFalse(Document.objects.exists())


class LeakTests(builders.MediaMixin, BaseTestCase):
    url = english("documents:leak")

    def setUp(self):
        super().setUp()
        cache.clear()

    def test_the_page_explains_how_to_hand_in_safely(self):
        response = self.client.get(self.url)
        for words in ("Tor Browser", "printer", "Watermarks", "unique wording", "EXIF"):
            self.assertContains(response, words)

    def test_it_is_in_french_by_default(self):
        with translation.override(None):  # the address without a language prefix
            url = reverse("documents:leak")
        response = self.client.get(url)
        self.assertContains(response, '<html lang="fr">')
        self.assertContains(response, "Transmettre des documents anonymement")

    def test_a_leak_keeps_nothing_about_its_sender_even_logged_in(self):
        self.login(self.alice)
        response = self.client.post(
            self.url, {"kind": "other", "files": [upload("de-jeanne.jpg", builders.photo())]}
        )
        self.assertEqual(response.status_code, 200)
        proposal = Proposal.objects.get()
        self.assertIsNone(proposal.contributor)
        self.assertTrue(proposal.payload["leak"])
        self.assertNotIn("jeanne", str(proposal.payload).lower())
        document = Document.objects.get()
        self.assertTrue(document.is_leak)
        self.assertNotIn(builders.AUTHOR.encode(), document.file.read())
        self.assertNotIn("jeanne", document.file.name.lower())


class BigDocumentTests(builders.MediaMixin, BaseTestCase):
    def test_a_long_pdf_within_the_limits_is_stored_with_all_its_pages(self):
        pages = [f"Page {n} du rapport d'activité de la police municipale." for n in range(1, 151)]
        with translation.override("en"):
            response = self.client.post(
                english("documents:upload"),
                {"title": "Rapport", "kind": "report", "files": [upload("r.pdf", builders.pdf(*pages))]},
            )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Document.objects.get().page_count, 150)
