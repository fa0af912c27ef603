from technopolice.moderation import actions
from technopolice.testing.cases import BaseTestCase

from .proposals import propose


class FollowTests(BaseTestCase):
    def test_it_shows_a_pending_proposal_without_its_author(self):
        proposal, token = propose(contributor=self.alice, message="private note")
        response = self.client.get(f"/en/moderation/suivi/{token}/")
        self.assertContains(response, "waiting for moderation")
        self.assertContains(response, "Micros de surveillance à Saint-Étienne")
        self.assertNotContains(response, "alice")
        self.assertNotContains(response, "private note")

    def test_it_links_to_the_published_dossier(self):
        proposal, token = propose()
        dossier = actions.accept(proposal, self.bob)
        response = self.client.get(f"/en/moderation/suivi/{token}/")
        self.assertContains(response, "It has been published")
        self.assertContains(response, dossier.get_absolute_url())

    def test_it_answers_404_for_an_unknown_or_hashed_token(self):
        proposal, _token = propose()
        self.assertEqual(self.client.get("/en/moderation/suivi/not-a-token/").status_code, 404)
        # The stored hash is not a working link.
        self.assertEqual(self.client.get(f"/en/moderation/suivi/{proposal.token_hash}/").status_code, 404)
