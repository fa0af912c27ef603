from technopolice.moderation import actions
from technopolice.moderation.models import Proposal
from technopolice.testing.cases import BaseTestCase

from .proposals import propose

URL = "/en/moderation/"


class QueueTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.pending, _token = propose(message="secret note")
        self.rejected, _token = propose()
        actions.reject(self.rejected, self.bob, "No source backs this.")

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get(URL)
        self.assertRedirects(response, f"/en/comptes/connexion/?next={URL}", fetch_redirect_response=False)

    def test_it_forbids_contributors_and_outsiders(self):
        for user in (self.alice, self.mallory):
            self.assertEqual(self.login(user).get(URL).status_code, 403)

    def test_it_lists_pending_proposals_for_moderators(self):
        for user in (self.bob, self.carol):
            response = self.login(user).get(URL)
            self.assertEqual(list(response.context["page"]), [self.pending])
            self.assertContains(response, f"/en/moderation/propositions/{self.pending.pk}/")

    def test_it_filters_by_state_and_kind_in_the_url(self):
        self.login(self.bob)
        self.assertEqual(list(self.client.get(URL, {"state": "rejected"}).context["page"]), [self.rejected])
        self.assertEqual(len(self.client.get(URL, {"state": ""}).context["page"]), 2)
        self.assertEqual(len(self.client.get(URL, {"state": "", "kind": "dossier"}).context["page"]), 2)

    def test_it_ignores_an_unknown_filter_value(self):
        response = self.login(self.bob).get(URL, {"state": "bogus"})
        self.assertEqual(list(response.context["page"]), [self.pending])

    def test_it_paginates(self):
        for _ in range(30):
            propose()
        response = self.login(self.bob).get(URL, {"state": "pending", "page": 2})
        self.assertEqual(len(response.context["page"]), Proposal.objects.pending().count() - 25)
        self.assertContains(response, "?state=pending&amp;page=1")

    def test_pages_without_a_state_filter_keep_showing_pending_proposals(self):
        for _ in range(30):
            propose()
        response = self.login(self.bob).get(URL, {"page": 2})
        self.assertEqual(len(response.context["page"]), Proposal.objects.pending().count() - 25)
        self.assertNotIn(self.rejected, response.context["page"])

    def test_it_refuses_post(self):
        self.assertEqual(self.login(self.bob).post(URL).status_code, 405)
