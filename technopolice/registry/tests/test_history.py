"""History, diff and revert: anyone reads, only moderators revert, a revert is a new revision."""

from technopolice.registry import actions
from technopolice.registry.models import Revision
from technopolice.testing.cases import BaseTestCase

from .factories import dossier_payload


class HistoryTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.dossier = actions.publish_dossier(dossier_payload(), self.bob, summary="First version")
        renamed = dossier_payload(title="Des micros <b>abandonnés</b> à Saint-Étienne", budget_eur="30000.00")
        actions.publish_dossier(renamed, self.carol, self.dossier, summary="Renamed")
        self.base = f"/en/dossiers/{self.dossier.slug}/historique/"


class HistoryTests(HistoryTestCase):
    def test_it_lists_revisions_with_number_moderator_and_summary(self):
        response = self.client.get(self.base)
        self.assertEqual([r.number for r in response.context["page"]], [2, 1])
        self.assertContains(response, "First version")
        self.assertContains(response, "carol")
        self.assertContains(response, f"{self.base}1/2/")
        self.assertNotContains(response, "Revert to")  # visitors cannot revert

    def test_it_offers_revert_to_moderators_except_for_the_current_revision(self):
        response = self.login(self.bob).get(self.base)
        self.assertContains(response, f"{self.base}1/retablir/")
        self.assertNotContains(response, f"{self.base}2/retablir/")

    def test_the_compare_form_redirects_to_the_diff(self):
        response = self.client.get(self.base, {"old": "1", "new": "2"})
        self.assertRedirects(response, f"{self.base}1/2/", fetch_redirect_response=False)

    def test_the_compare_form_ignores_what_is_not_a_revision_number(self):
        # "²" is a digit to str.isdigit() but not to int(): the list is shown, not a server error.
        for old, new in (("²", "2"), ("1", "٢x"), ("-1", "2")):
            with self.subTest(old=old, new=new):
                self.assertEqual(self.client.get(self.base, {"old": old, "new": new}).status_code, 200)

    def test_it_answers_404_for_an_unknown_dossier(self):
        self.assertEqual(self.client.get("/en/dossiers/nope/historique/").status_code, 404)


class DiffTests(HistoryTestCase):
    def test_it_shows_a_field_by_field_diff_with_escaped_text(self):
        response = self.client.get(f"{self.base}1/2/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<del>Micros</del>", html=False)
        self.assertContains(response, "&lt;b&gt;", html=False)
        self.assertNotContains(response, "<b>abandonnés</b>", html=False)
        self.assertContains(response, "<del>24000.00</del> → <ins>30000.00</ins>", html=False)

    def test_it_answers_404_for_an_unknown_revision(self):
        self.assertEqual(self.client.get(f"{self.base}1/9/").status_code, 404)


class RevertTests(HistoryTestCase):
    def url(self, number: int) -> str:
        return f"{self.base}{number}/retablir/"

    def test_a_moderator_reverts_as_a_new_revision(self):
        response = self.login(self.bob).post(self.url(1))
        self.assertRedirects(response, self.base, fetch_redirect_response=False)
        self.dossier.refresh_from_db()
        self.assertEqual(self.dossier.title, dossier_payload()["title"])
        latest = self.dossier.revisions.order_by("-number").first()
        self.assertEqual((latest.number, latest.reverted_to, latest.moderator), (3, 1, self.bob))

    def test_a_contributor_cannot_revert(self):
        self.assertEqual(self.login(self.alice).post(self.url(1)).status_code, 403)
        self.assertEqual(Revision.objects.count(), 2)

    def test_an_anonymous_visitor_is_sent_to_login(self):
        response = self.client.post(self.url(1))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/comptes/connexion/", response["Location"])
        self.assertEqual(Revision.objects.count(), 2)

    def test_it_refuses_get_and_forged_posts(self):
        self.assertEqual(self.login(self.bob).get(self.url(1)).status_code, 405)
        self.assertEqual(self.login(self.bob, self.csrf_client).post(self.url(1)).status_code, 403)
        self.assertEqual(Revision.objects.count(), 2)

    def test_it_refuses_to_revert_to_the_current_revision(self):
        response = self.login(self.bob).post(self.url(2), follow=True)
        self.assertContains(response, "already the current version")
        self.assertEqual(Revision.objects.count(), 2)

    def test_it_answers_404_for_an_unknown_revision(self):
        self.assertEqual(self.login(self.bob).post(self.url(7)).status_code, 404)
