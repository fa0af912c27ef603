"""A moderator corrects a proposal in the same form, then accepts it."""

from technopolice.moderation import actions
from technopolice.moderation.models import ProposalState
from technopolice.registry.models import Dossier
from technopolice.testing.cases import BaseTestCase

from .factories import dossier_payload
from .formdata import form_data
from .proposals import propose


class ModerateEditTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.proposal, _token = propose(dossier_payload(title="Micros a St Etienne"))
        self.url = f"/en/dossiers/propositions/{self.proposal.pk}/modifier/"

    def test_it_prefills_the_form_with_the_proposal(self):
        response = self.login(self.bob).get(self.url)
        self.assertContains(response, 'value="Micros a St Etienne"')
        self.assertContains(response, "Saint-Étienne (42)")
        self.assertContains(response, "Save and accept")

    def test_it_publishes_the_edited_payload(self):
        response = self.login(self.bob).post(self.url, form_data(title="Micros à Saint-Étienne"))
        dossier = Dossier.objects.get()
        self.assertRedirects(response, dossier.get_absolute_url(), fetch_redirect_response=False)
        self.assertEqual(dossier.title, "Micros à Saint-Étienne")
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.ACCEPTED)
        self.assertEqual(self.proposal.payload["title"], "Micros à Saint-Étienne")

    def test_bad_input_publishes_nothing(self):
        response = self.login(self.bob).post(self.url, form_data(budget_eur="-5"))
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Dossier.objects.exists())
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.PENDING)

    def test_contributors_and_anonymous_visitors_cannot_use_it(self):
        self.assertEqual(self.login(self.alice).post(self.url, form_data()).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.post(self.url, form_data()).status_code, 302)
        self.assertFalse(Dossier.objects.exists())

    def test_it_refuses_a_decided_proposal(self):
        actions.reject(self.proposal, self.bob, "Duplicate.")
        response = self.login(self.bob).post(self.url, form_data(), follow=True)
        self.assertContains(response, "already been decided")
        self.assertFalse(Dossier.objects.exists())

    def test_it_refuses_a_forged_post(self):
        self.assertEqual(self.login(self.bob, self.csrf_client).post(self.url, form_data()).status_code, 403)
        self.assertFalse(Dossier.objects.exists())
