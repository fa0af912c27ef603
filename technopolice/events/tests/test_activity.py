"""A published or cancelled event is activity for its places, its collective and its dossier."""

from technopolice.activity.models import Activity
from technopolice.events import actions
from technopolice.events.models import Event
from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory
from .test_publish import form_data
from .world import build_world


def subjects_of(activity: Activity) -> set[str]:
    return set(activity.subjects.values_list("key", flat=True))


class EventActivityTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def test_a_published_event_concerns_its_commune_department_region_collective_and_dossier(self):
        self.login(self.alice)
        self.client.post("/evenements/nouveau/", form_data(dossier="/dossiers/micros/"))
        event = Event.objects.get()
        activity = Activity.objects.get(kind="event")
        self.assertEqual((activity.object, activity.title), (event, "Réunion contre les micros"))
        self.assertEqual(activity.path, f"/evenements/{event.uid}/")
        expected = {
            "site",
            f"commune:{self.saint_etienne.pk}",
            f"department:{self.loire.pk}",
            f"region:{self.ara.pk}",
            f"collective:{self.a.pk}",
            f"dossier:{self.dossier.pk}",
        }
        self.assertEqual(subjects_of(activity), expected)

    def test_an_online_event_concerns_its_department(self):
        self.login(self.bob)
        data = form_data(collective="", commune="", address="", online_url="https://visio.example.org/r")
        self.client.post("/evenements/nouveau/", {**data, "department": "loire"})
        activity = Activity.objects.get(kind="event")
        self.assertEqual(
            subjects_of(activity), {"site", f"department:{self.loire.pk}", f"region:{self.ara.pk}"}
        )

    def test_a_cancelled_event_is_announced_as_cancelled(self):
        event = EventFactory(collective=self.a, commune=self.saint_etienne)
        self.login(self.alice)
        self.client.post(f"/evenements/{event.uid}/annuler/")
        activity = Activity.objects.get(kind="event_cancelled")
        self.assertEqual(activity.object, event)
        self.assertIn(f"collective:{self.a.pk}", subjects_of(activity))

    def test_an_event_of_a_collective_not_listed_stays_out(self):
        event = EventFactory(collective=self.pending, commune=self.saint_etienne)
        actions.cancel_event(event)
        self.assertFalse(Activity.objects.exists())
