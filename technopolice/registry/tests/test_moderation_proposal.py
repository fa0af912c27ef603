from technopolice.registry import actions as registry
from technopolice.registry.tests.factories import dossier_payload
from technopolice.testing.cases import BaseTestCase

from .proposals import propose


class ProposalPageTests(BaseTestCase):
    def url(self, proposal) -> str:
        return f"/en/moderation/propositions/{proposal.pk}/"

    def test_it_shows_the_payload_to_moderators(self):
        proposal, _token = propose(contributor=self.alice, message="Seen in the local paper.")
        response = self.login(self.bob).get(self.url(proposal))
        self.assertContains(response, "Micros de surveillance à Saint-Étienne")
        self.assertContains(response, "Saint-Étienne (42)")
        self.assertContains(response, "https://www.laquadrature.net/2019/03/saint-etienne/")
        self.assertContains(response, "Seen in the local paper.")
        self.assertContains(response, "<strong>capteurs sonores</strong>", html=False)
        self.assertContains(response, "Accept and publish")
        self.assertContains(response, "press article")  # the source kind's label, not its code
        self.assertContains(response, "CNIL opinion")
        self.assertContains(response, f"/en/dossiers/propositions/{proposal.pk}/modifier/")

    def test_it_shows_what_an_edit_changes(self):
        dossier = registry.publish_dossier(dossier_payload(), self.bob)
        proposal, _token = propose(
            dossier_payload(title="Micros à Saint-Étienne, abandonnés"), dossier=dossier
        )
        response = self.login(self.bob).get(self.url(proposal))
        self.assertContains(response, "<del> de surveillance</del>", html=False)
        self.assertContains(response, "<ins>, abandonnés</ins>", html=False)

    def test_it_escapes_proposed_html(self):
        proposal, _token = propose(
            dossier_payload(title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
        )
        response = self.login(self.bob).get(self.url(proposal))
        self.assertNotContains(response, "<script>alert(1)</script>", html=False)
        self.assertNotContains(response, "onerror", html=False)

    def test_it_forbids_contributors(self):
        proposal, _token = propose(contributor=self.alice)
        self.assertEqual(self.login(self.alice).get(self.url(proposal)).status_code, 403)

    def test_it_answers_404_for_an_unknown_proposal(self):
        self.assertEqual(self.login(self.bob).get("/en/moderation/propositions/999/").status_code, 404)
