"""The document list's filters: bad values are a 400 in the visitor's language, never a 500."""

from django.test import TestCase

from technopolice.documents import actions, cleaning
from technopolice.registry.tests.factories import OrganisationFactory

from . import builders


class ListFilterTests(builders.MediaMixin, TestCase):
    def setUp(self):
        super().setUp()
        self.issuer = OrganisationFactory(name="Ville de Nice", kind="public_body")
        actions.import_file(
            cleaning.clean(builders.pdf("Délibération")), "Délibération", "deliberation", self.issuer
        )

    def test_a_year_past_any_date_is_refused_with_a_message(self):
        for year in ("99999", str(10**30), "0", "-1"):
            for url in ("/documents/", "/documents/documents.json"):
                with self.subTest(year=year, url=url):
                    response = self.client.get(url, {"year": year})
                    self.assertEqual(response.status_code, 400)
        self.assertContains(
            self.client.get("/documents/", {"year": "99999"}), "entre 1 et 9999", status_code=400
        )

    def test_digits_int_cannot_read_are_refused(self):
        # "²" is a digit to str.isdigit(), not to int().
        self.assertContains(
            self.client.get("/documents/", {"year": "²"}), "L’année doit être un nombre", status_code=400
        )

    def test_a_slug_with_a_nul_byte_is_refused_before_the_database(self):
        # PostgreSQL refuses NUL bytes in text: the query itself would fail.
        for name in ("issuer", "dossier"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get("/documents/", {name: "a\x00b"}).status_code, 400)

    def test_good_filters_still_filter(self):
        response = self.client.get(
            "/documents/documents.json", {"issuer": self.issuer.slug, "kind": "deliberation"}
        )
        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(self.client.get("/documents/documents.json", {"year": "1999"}).json()["count"], 0)
        self.assertEqual(self.client.get("/documents/", {"kind": "nope"}).status_code, 400)
