"""Proposing an edit to a published dossier: prefilled, queued, the dossier untouched until accepted."""

from django.core.cache import cache

from technopolice.moderation.models import Proposal
from technopolice.registry import actions, snapshots
from technopolice.testing.cases import BaseTestCase

from .factories import dossier_payload
from .formdata import form_data


class ProposeEditTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.dossier = actions.publish_dossier(dossier_payload(), self.bob)
        self.url = f"/en/dossiers/{self.dossier.slug}/proposer/"

    def test_it_prefills_the_form_from_the_current_snapshot(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'value="{self.dossier.title}"')
        self.assertContains(response, "Saint-Étienne (42)")
        self.assertContains(response, 'value="https://www.laquadrature.net/2019/03/saint-etienne/"')
        self.assertContains(response, 'value="La CNIL met en garde la ville"')

    def test_it_queues_an_edit_and_leaves_the_dossier_untouched(self):
        before = snapshots.snapshot(self.dossier)
        response = self.client.post(self.url, form_data(title="Micros abandonnés"))
        self.assertEqual(response.status_code, 302)
        proposal = Proposal.objects.get()
        self.assertEqual((proposal.target, proposal.payload["title"]), (self.dossier, "Micros abandonnés"))
        self.dossier.refresh_from_db()
        self.assertEqual(snapshots.snapshot(self.dossier), before)
        self.assertEqual(self.dossier.revisions.count(), 1)

    def test_it_can_remove_a_source_row(self):
        payload = dossier_payload()
        payload["sources"].append({**payload["sources"][0], "url": "https://example.org/b", "title": "B"})
        data = form_data(payload, title="Renamed") | {"sources-1-DELETE": "on"}
        self.client.post(self.url, data)
        self.assertEqual(
            [s["title"] for s in Proposal.objects.get().payload["sources"]], [payload["sources"][0]["title"]]
        )

    def test_it_refuses_an_edit_that_changes_nothing(self):
        response = self.client.post(self.url, form_data())
        self.assertContains(response, "This proposal changes nothing in the dossier.")
        self.assertFalse(Proposal.objects.exists())

    def test_line_endings_sent_by_browsers_are_no_change(self):
        self.dossier.description = "Line one\nLine two"
        self.dossier.save()
        data = form_data(snapshots.snapshot(self.dossier), description="Line one\r\nLine two")
        self.assertContains(self.client.post(self.url, data), "This proposal changes nothing in the dossier.")

    def test_it_answers_404_for_an_unknown_dossier(self):
        self.assertEqual(self.client.get("/en/dossiers/nope/proposer/").status_code, 404)
