"""Accepting proposals: only moderators publish, once, and a failed publication changes nothing."""

from technopolice.moderation.models import Proposal, ProposalState
from technopolice.registry import actions as registry
from technopolice.registry.models import Dossier, Revision
from technopolice.registry.tests.factories import dossier_payload
from technopolice.testing.cases import BaseTestCase

from .proposals import propose


class AcceptTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.proposal, _token = propose()
        self.url = f"/en/moderation/propositions/{self.proposal.pk}/accepter/"

    def assertUnchanged(self):
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.PENDING)
        self.assertIsNone(self.proposal.decided_by)
        self.assertFalse(Dossier.objects.exists())

    def test_it_publishes_a_new_dossier_vouched_for_by_the_moderator(self):
        response = self.login(self.bob, self.csrf_client).post(
            self.url, {"csrfmiddlewaretoken": self._csrf()}
        )
        dossier = Dossier.objects.get()
        self.assertRedirects(response, dossier.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(dossier.vouched_by, self.bob)
        self.assertEqual(dossier.sources.count(), 1)
        revision = dossier.revisions.get()
        self.assertEqual((revision.number, revision.moderator), (1, self.bob))
        self.proposal.refresh_from_db()
        self.assertEqual((self.proposal.state, self.proposal.decided_by), (ProposalState.ACCEPTED, self.bob))
        self.assertEqual(self.proposal.target, dossier)

    def _csrf(self) -> str:
        self.csrf_client.get("/en/moderation/")
        return self.csrf_client.cookies["csrftoken"].value

    def test_it_applies_an_edit_as_a_new_revision(self):
        dossier = registry.publish_dossier(dossier_payload(), self.bob)
        edit, _token = propose(dossier_payload(title="Renamed"), dossier=dossier)
        self.login(self.carol).post(f"/en/moderation/propositions/{edit.pk}/accepter/")
        dossier.refresh_from_db()
        self.assertEqual(dossier.title, "Renamed")
        self.assertEqual(dossier.vouched_by, self.carol)
        self.assertEqual(list(dossier.revisions.values_list("number", flat=True)), [2, 1])

    def test_a_contributor_cannot_publish(self):
        self.assertEqual(self.login(self.alice).post(self.url).status_code, 403)
        self.assertUnchanged()

    def test_an_anonymous_visitor_cannot_publish(self):
        response = self.client.post(self.url)
        self.assertRedirects(
            response, f"/en/comptes/connexion/?next={self.url}", fetch_redirect_response=False
        )
        self.assertUnchanged()

    def test_it_refuses_get(self):
        self.assertEqual(self.login(self.bob).get(self.url).status_code, 405)
        self.assertUnchanged()

    def test_it_refuses_a_forged_post_without_csrf_token(self):
        self.assertEqual(self.login(self.bob, self.csrf_client).post(self.url).status_code, 403)
        self.assertUnchanged()

    def test_it_answers_404_for_an_unknown_proposal(self):
        self.assertEqual(
            self.login(self.bob).post("/en/moderation/propositions/999/accepter/").status_code, 404
        )

    def test_it_refuses_to_decide_twice(self):
        self.login(self.bob).post(self.url)
        response = self.client.post(self.url, follow=True)
        self.assertContains(response, "already been decided: nothing was changed")
        self.assertEqual(Revision.objects.count(), 1)

    def test_a_publication_refused_by_the_registry_leaves_the_queue_untouched(self):
        broken, _token = propose(dossier_payload(communes=["99999"]))
        url = f"/en/moderation/propositions/{broken.pk}/accepter/"
        response = self.login(self.bob).post(url, follow=True)
        self.assertContains(response, "Not published: Unknown communes: 99999")
        broken.refresh_from_db()
        self.assertEqual(broken.state, ProposalState.PENDING)
        self.assertFalse(Dossier.objects.exists())

    def test_nothing_is_public_before_acceptance(self):
        self.assertFalse(Dossier.objects.exists())
        self.assertEqual(
            self.client.get("/en/dossiers/micros-de-surveillance-a-saint-etienne/").status_code, 404
        )
        self.assertEqual(Proposal.objects.pending().count(), 1)
