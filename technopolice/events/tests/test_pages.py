"""The event lists, an event's page, and the sections other pages show."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory
from .world import build_world

PARIS = ZoneInfo("Europe/Paris")
NEXT_YEAR = timezone.localdate().year + 1


class ListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        cls.meeting = EventFactory(title="Réunion à Saint-Étienne", collective=cls.a)
        cls.council = EventFactory(title="Conseil municipal de Nice", kind="council", commune=cls.nice)
        cls.hidden = EventFactory(title="Réunion cachée", collective=cls.pending)
        now = timezone.now()
        cls.last_month = EventFactory(title="Le mois dernier", starts_at=now - dt.timedelta(days=30))
        cls.last_year = EventFactory(title="Il y a un an", starts_at=now - dt.timedelta(days=365))

    def test_it_lists_upcoming_visible_events(self):
        response = self.client.get("/evenements/")
        self.assertContains(response, "Réunion à Saint-Étienne")
        self.assertContains(response, "Conseil municipal de Nice")
        self.assertNotContains(response, "Réunion cachée")
        self.assertNotContains(response, "Le mois dernier")
        self.assertContains(response, 'href="/evenements/calendrier.ics"')

    def test_it_filters_by_department_kind_and_collective(self):
        by_department = self.client.get("/evenements/?department=alpes-maritimes")
        self.assertContains(by_department, "Conseil municipal de Nice")
        self.assertNotContains(by_department, "Réunion à Saint-Étienne")
        self.assertContains(by_department, 'href="/evenements/departement/alpes-maritimes.ics"')
        by_kind = self.client.get("/evenements/?kind=council")
        self.assertContains(by_kind, "Conseil municipal de Nice")
        self.assertNotContains(by_kind, "Réunion à Saint-Étienne")
        by_collective = self.client.get("/evenements/?collective=tp-saint-etienne")
        self.assertContains(by_collective, "Réunion à Saint-Étienne")
        self.assertNotContains(by_collective, "Conseil municipal de Nice")
        self.assertContains(by_collective, 'href="/evenements/collectif/tp-saint-etienne.ics"')

    def test_unknown_filters_and_pages_get_a_clear_message(self):
        response = self.client.get("/en/evenements/?department=atlantis&kind=rave")
        self.assertContains(response, "Unknown department: “atlantis”.", status_code=400)
        self.assertContains(response, "Unknown kind of event: “rave”.", status_code=400)
        hidden = self.client.get("/en/evenements/?collective=en-attente")
        self.assertContains(hidden, "Unknown collective: “en-attente”.", status_code=400)
        self.assertEqual(self.client.get("/evenements/?page=99").status_code, 404)
        self.assertEqual(self.client.get("/evenements/?page=abc").status_code, 404)

    def test_it_paginates(self):
        for n in range(25):
            EventFactory(title=f"Série {n:02}", starts_at=timezone.now() + dt.timedelta(days=30 + n))
        first = self.client.get("/evenements/")
        self.assertContains(first, 'rel="next" href="/evenements/?page=2"')
        second = self.client.get("/evenements/?page=2")
        self.assertContains(second, "Série 24")
        self.assertNotContains(second, "Réunion à Saint-Étienne")

    def test_the_archive_lists_past_events_newest_first(self):
        response = self.client.get("/evenements/passes/")
        page = response.content.decode()
        self.assertLess(page.index("Le mois dernier"), page.index("Il y a un an"))
        self.assertNotIn("Réunion à Saint-Étienne", page)

    def test_the_home_page_shows_upcoming_events_only_when_there_are_any(self):
        self.assertContains(self.client.get("/en/"), "Réunion à Saint-Étienne")
        self.assertNotContains(self.client.get("/en/"), "Réunion cachée")

    def test_the_home_page_has_no_section_without_events(self):
        from technopolice.events.models import Event

        Event.objects.all().delete()
        self.assertNotContains(self.client.get("/en/"), "Upcoming events")

    def test_a_commune_page_shows_its_events_and_its_department_online_events(self):
        online = EventFactory(
            title="Visio de la Loire", commune=None, department=self.loire, online_url="https://v.example.org"
        )
        response = self.client.get(self.saint_etienne.get_absolute_url())
        self.assertContains(response, "Réunion à Saint-Étienne")
        self.assertContains(response, online.title)
        self.assertNotContains(response, "Conseil municipal de Nice")
        self.assertNotContains(response, "Réunion cachée")
        self.assertContains(response, 'href="/evenements/departement/loire.ics"')

    def test_a_collective_page_shows_its_events_and_its_feed(self):
        EventFactory(title="Débat à Nice", collective=self.b)
        response = self.client.get("/en/collectifs/tp-saint-etienne/")
        self.assertContains(response, "Réunion à Saint-Étienne")
        self.assertNotContains(response, "Débat à Nice")
        self.assertContains(response, 'href="/en/evenements/collectif/tp-saint-etienne.ics"')


class DetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        cls.council = EventFactory(
            title="Vote des micros",
            kind="council",
            collective=cls.a,
            dossier=cls.dossier,
            starts_at=dt.datetime(NEXT_YEAR, 1, 15, 20, 0, tzinfo=PARIS),
            description="Ordre du jour : <script>alert(1)</script> les **micros**.",
        )

    def test_it_shows_time_place_collective_and_dossier(self):
        response = self.client.get(f"/en/evenements/{self.council.uid}/")
        self.assertContains(response, "20:00")
        self.assertContains(response, "Paris time")
        self.assertContains(response, "CET")
        self.assertContains(response, 'href="/en/communes/saint-etienne-42218/"')
        self.assertContains(response, "Bourse du travail")
        self.assertContains(
            response, '<a href="/en/collectifs/tp-saint-etienne/">Technopolice Saint-Étienne</a>'
        )
        self.assertContains(response, "Vote on this dossier")
        self.assertContains(response, 'href="/en/dossiers/micros/"')
        self.assertContains(response, f'href="/en/evenements/{self.council.uid}.ics"')
        self.assertContains(response, "<strong>micros</strong>")
        self.assertNotContains(response, "<script>alert(1)")
        self.assertNotContains(response, "This event is cancelled")
        self.assertNotContains(response, "Manage this event")

    def test_the_time_stays_paris_time_in_summer(self):
        summer = EventFactory(starts_at=dt.datetime(NEXT_YEAR, 7, 15, 20, 0, tzinfo=PARIS))
        response = self.client.get(f"/en/evenements/{summer.uid}/")
        self.assertContains(response, "20:00")
        self.assertContains(response, "CEST")

    def test_a_cancelled_event_says_so(self):
        self.council.is_cancelled = True
        self.council.save()
        self.assertContains(self.client.get(f"/en/evenements/{self.council.uid}/"), "This event is cancelled")

    def test_its_organiser_sees_how_to_manage_it(self):
        self.login(self.alice)
        self.assertContains(self.client.get(f"/en/evenements/{self.council.uid}/"), "Manage this event")

    def test_an_event_of_a_pending_collective_is_not_found(self):
        hidden = EventFactory(collective=self.pending)
        self.assertEqual(self.client.get(f"/evenements/{hidden.uid}/").status_code, 404)

    def test_an_online_event_links_its_address(self):
        online = EventFactory(commune=None, department=None, online_url="https://visio.example.org/r")
        self.assertContains(
            self.client.get(f"/en/evenements/{online.uid}/"), 'href="https://visio.example.org/r"'
        )

    def test_it_answers_get_only(self):
        self.assertEqual(self.client.post(f"/evenements/{self.council.uid}/").status_code, 405)
