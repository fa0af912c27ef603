"""A collective in the moderation queue: listed once accepted, refused once rejected."""

from django.test import Client

from technopolice.collectives import actions
from technopolice.collectives.models import Collective, CollectiveStatus
from technopolice.moderation import actions as moderation
from technopolice.moderation.models import Proposal, ProposalState
from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .test_manage import valid


class ModerationTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        CommuneFactory()
        self.login(self.alice).post(
            "/en/collectifs/nouveau/", valid(description="Hello <script>alert(1)</script>")
        )
        self.collective = Collective.objects.get()
        self.proposal = Proposal.objects.get(kind="collective")

    def test_the_queue_shows_it_as_new_and_the_review_shows_the_collective(self):
        self.login(self.bob)
        queue = self.client.get("/en/moderation/", {"kind": "collective"})
        self.assertEqual([p.pk for p in queue.context["page"]], [self.proposal.pk])
        review = self.client.get(f"/en/moderation/propositions/{self.proposal.pk}/")
        self.assertContains(review, "Technopolice Saint-Étienne")
        self.assertContains(review, "Saint-Étienne (42)")
        self.assertContains(review, "https://signal.group/#CjQKIAbc")
        self.assertContains(
            review, f"/en/collectifs/{self.collective.slug}/modifier/"
        )  # edit before deciding

    def test_script_in_the_description_is_neutralised(self):
        review = self.login(self.bob).get(f"/en/moderation/propositions/{self.proposal.pk}/")
        self.assertNotContains(review, "<script>alert(1)</script>")
        self.assertContains(review, "Hello")

    def test_accepting_lists_it(self):
        self.assertFalse(Collective.objects.listed().exists())
        self.assertNotContains(Client().get("/en/collectifs/"), "Technopolice Saint-Étienne")
        response = self.login(self.bob).post(f"/en/moderation/propositions/{self.proposal.pk}/accepter/")
        self.assertEqual(response.status_code, 302)
        self.collective.refresh_from_db()
        self.assertEqual(self.collective.status, CollectiveStatus.LISTED)
        self.assertIsNotNone(self.collective.listed_at)
        self.assertEqual(list(Collective.objects.listed()), [self.collective])
        self.assertContains(
            Client().get("/en/collectifs/"), "Technopolice Saint-Étienne"
        )  # a visitor sees it
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.target, self.collective)  # the contributor's follow-up links to it

    def test_rejecting_refuses_it(self):
        response = self.login(self.bob).post(
            f"/en/moderation/propositions/{self.proposal.pk}/refuser/", {"reason": "Not a collective."}
        )
        self.assertEqual(response.status_code, 302)
        self.collective.refresh_from_db()
        self.assertEqual(self.collective.status, CollectiveStatus.REFUSED)
        self.assertFalse(Collective.objects.listed().exists())
        mine = self.login(self.alice).get("/en/collectifs/mes-collectifs/")
        self.assertContains(mine, "A moderator refused this collective")

    def test_an_edit_before_listing_is_what_gets_listed(self):
        url = f"/en/collectifs/{self.collective.slug}/modifier/"
        self.login(self.alice).post(url, valid(name="Technopolice Loire"))
        moderation.accept(self.proposal, self.bob)
        self.assertEqual(Collective.objects.listed().get().name, "Technopolice Loire")

    def test_rejecting_a_collective_deleted_meanwhile_still_decides_the_proposal(self):
        self.collective.delete()
        moderation.reject(self.proposal, self.bob, "Gone.")
        self.proposal.refresh_from_db()
        self.assertEqual(self.proposal.state, ProposalState.REJECTED)
        self.assertIsNone(actions.refuse_collective(self.collective.pk or 0))
