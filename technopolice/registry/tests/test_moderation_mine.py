from technopolice.registry.tests.factories import dossier_payload
from technopolice.testing.cases import BaseTestCase

from .proposals import propose

URL = "/en/moderation/mes-propositions/"


class MyProposalsTests(BaseTestCase):
    def test_it_lists_only_my_proposals(self):
        mine, _token = propose(dossier_payload(title="Mine"), contributor=self.alice)
        propose(dossier_payload(title="Someone else's"), contributor=self.mallory)
        propose(dossier_payload(title="Anonymous"))
        response = self.login(self.alice).get(URL)
        self.assertEqual(list(response.context["page"]), [mine])
        self.assertContains(response, "waiting for moderation")

    def test_it_sends_anonymous_visitors_to_login(self):
        response = self.client.get(URL)
        self.assertRedirects(response, f"/en/comptes/connexion/?next={URL}", fetch_redirect_response=False)

    def test_the_address_it_had_under_accounts_still_leads_there(self):
        response = self.client.get("/en/comptes/mes-propositions/")
        self.assertRedirects(response, URL, status_code=301, fetch_redirect_response=False)

    def test_with_nothing_proposed_it_offers_every_kind_of_proposal(self):
        response = self.login(self.alice).get(URL)
        self.assertContains(response, "You have not proposed anything yet.")
        for form in ("/en/proposer/", "/en/carte/proposer/", "/en/documents/envoyer/"):
            self.assertContains(response, f'href="{form}"')
