from django.urls import reverse

from technopolice.documents import actions, cleaning
from technopolice.testing.cases import BaseTestCase

from . import builders


class FileViewTests(builders.MediaMixin, BaseTestCase):
    def store(self, data: bytes):
        return actions.import_file(cleaning.clean(data), "Contrat", "contract")[0]

    def test_a_pdf_is_served_inline_with_safe_headers(self):
        document = self.store(builders.pdf("Contrat de maintenance"))
        response = self.client.get(reverse("documents:file", args=[document.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        csp = response["Content-Security-Policy"]
        self.assertIn("sandbox", csp)
        self.assertIn("default-src 'none'", csp)
        self.assertNotIn("script-src", csp)
        self.assertEqual(b"".join(response.streaming_content), document.file.open("rb").read())

    def test_the_download_link_is_an_attachment(self):
        document = self.store(builders.photo("PNG"))
        response = self.client.get(reverse("documents:file", args=[document.pk]), {"download": "1"})
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response["Content-Disposition"].startswith("attachment"))
        self.assertIn(f"document-{document.pk}.png", response["Content-Disposition"])

    def test_text_is_served_as_plain_text(self):
        document = self.store(b"<b>pas du html</b> texte")
        response = self.client.get(reverse("documents:file", args=[document.pk]))
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_it_refuses_post(self):
        document = self.store(b"texte")
        self.assertEqual(self.client.post(reverse("documents:file", args=[document.pk])).status_code, 405)

    def test_the_document_page_shows_metadata_and_a_download_link(self):
        document = self.store(b"texte")
        response = self.client.get(document.get_absolute_url())
        self.assertContains(response, document.sha256)
        self.assertContains(response, reverse("documents:file", args=[document.pk]) + "?download=1")


class ListTests(builders.MediaMixin, BaseTestCase):
    def test_the_list_filters_by_kind_and_has_twins(self):
        actions.import_file(cleaning.clean(b"un contrat"), "Contrat", "contract")
        actions.import_file(cleaning.clean(b"une deliberation"), "Deliberation", "deliberation")
        response = self.client.get(reverse("documents:list"), {"kind": "contract"})
        self.assertContains(response, "Contrat")
        self.assertNotContains(response, "Deliberation</a>")
        body = self.client.get(reverse("documents:list_twin", args=["json"]), {"kind": "contract"}).json()
        self.assertEqual((body["ok"], body["count"], body["rows"][0]["title"]), (True, 1, "Contrat"))
        csv = self.client.get(reverse("documents:list_twin", args=["csv"])).content.decode()
        self.assertEqual(len(csv.strip().splitlines()), 3)

    def test_a_bad_filter_gives_the_error_shape(self):
        response = self.client.get(reverse("documents:list_twin", args=["json"]), {"kind": "nope"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(response.json()["ok"])
