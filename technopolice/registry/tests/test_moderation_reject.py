from technopolice.moderation.models import ProposalState
from technopolice.registry.models import Dossier
from technopolice.testing.cases import BaseTestCase

from .proposals import propose


class RejectTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.proposal, self.token = propose(contributor=self.alice)
        self.url = f"/en/moderation/propositions/{self.proposal.pk}/refuser/"

    def test_it_rejects_with_a_reason_the_contributor_reads(self):
        response = self.login(self.bob).post(self.url, {"reason": "The article says the opposite."})
        self.assertRedirects(response, "/en/moderation/", fetch_redirect_response=False)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.REJECTED)
        self.assertEqual(self.proposal.reason, "The article says the opposite.")
        follow = self.client.get(f"/en/moderation/suivi/{self.token}/")
        self.assertContains(follow, "The article says the opposite.")

    def test_a_rejected_proposal_is_never_public(self):
        self.login(self.bob).post(self.url, {"reason": "Hoax."})
        self.assertFalse(Dossier.objects.exists())
        accept = self.client.post(f"/en/moderation/propositions/{self.proposal.pk}/accepter/")
        self.assertEqual(accept.status_code, 302)
        self.assertFalse(Dossier.objects.exists())
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.REJECTED)

    def test_it_requires_a_reason(self):
        response = self.login(self.bob).post(self.url, {"reason": "  "})
        self.assertContains(response, "Say why the proposal is rejected", status_code=400)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.PENDING)

    def test_a_contributor_cannot_reject(self):
        self.assertEqual(self.login(self.alice).post(self.url, {"reason": "mine"}).status_code, 403)
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.PENDING)

    def test_it_refuses_get_and_forged_posts(self):
        self.assertEqual(self.login(self.bob).get(self.url).status_code, 405)
        self.assertEqual(
            self.login(self.bob, self.csrf_client).post(self.url, {"reason": "x"}).status_code, 403
        )
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.PENDING)
