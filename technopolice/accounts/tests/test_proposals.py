from technopolice.moderation.tests.factories import propose
from technopolice.registry.tests.factories import dossier_payload
from technopolice.test import BaseTestCase

URL = "/en/comptes/mes-propositions/"


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
