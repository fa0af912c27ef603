"""The events' admin: administrators list, search and open events; the publisher is recorded."""

from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory
from .world import build_world


class AdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        cls.event = EventFactory(title="Réunion publique", collective=cls.a)

    def test_it_lists_searches_and_opens_events(self):
        self.login(self.carol)
        self.assertContains(self.client.get("/admin/events/event/?q=publique"), "Réunion publique")
        self.assertContains(
            self.client.get(f"/admin/events/event/{self.event.pk}/change/"), "Réunion publique"
        )
        self.assertEqual(self.client.get("/admin/events/event/add/").status_code, 200)

    def test_an_outsider_cannot_reach_it(self):
        self.login(self.mallory)
        self.assertEqual(self.client.get("/admin/events/event/").status_code, 302)
