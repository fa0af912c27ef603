"""A collective is activity once, when a moderator lists it; feeds and follows name only listed ones."""

from technopolice.activity import subjects
from technopolice.activity.models import Activity
from technopolice.collectives import actions
from technopolice.collectives.models import Collective
from technopolice.moderation.models import Proposal
from technopolice.registry.models import Commune
from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .test_manage import valid


class CollectiveActivityTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        CommuneFactory()
        self.login(self.alice).post("/en/collectifs/nouveau/", valid())
        self.collective = Collective.objects.get()
        self.proposal = Proposal.objects.get(kind="collective")

    def accept(self):
        return self.login(self.bob).post(f"/en/moderation/propositions/{self.proposal.pk}/accepter/")

    def test_a_pending_collective_is_no_activity_and_no_subject(self):
        self.assertFalse(Activity.objects.exists())
        self.assertEqual(subjects.resolve([f"collective:{self.collective.pk}"]), {})

    def test_listing_it_tells_its_places_once(self):
        self.assertEqual(self.accept().status_code, 302)
        actions.list_collective(self.collective.pk)  # listed again: nothing new to say
        activity = Activity.objects.get()
        self.assertEqual((activity.kind, activity.object), ("collective_listed", self.collective))
        self.assertEqual(activity.path, f"/collectifs/{self.collective.slug}/")
        commune = Commune.objects.get(insee="42218")
        expected = {
            "site",
            f"collective:{self.collective.pk}",
            f"commune:{commune.pk}",
            f"department:{commune.department_id}",
            f"region:{commune.department.region_id}",
        }
        self.assertEqual(set(activity.subjects.values_list("key", flat=True)), expected)
        key = f"collective:{self.collective.pk}"
        self.assertEqual(subjects.resolve([key]), {key: self.collective})
