"""The iCalendar feeds, read back by the icalendar library."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from django.utils import timezone

from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory
from .world import build_world

PARIS = ZoneInfo("Europe/Paris")
NEXT_YEAR = timezone.localdate().year + 1


class FeedTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        winter = dt.datetime(NEXT_YEAR, 1, 15, 20, 0, tzinfo=PARIS)
        cls.meeting = EventFactory(title="Réunion d'hiver", collective=cls.a, starts_at=winter)
        cls.summer = EventFactory(
            title="Rassemblement d'été",
            kind="protest",
            starts_at=dt.datetime(NEXT_YEAR, 7, 15, 20, 0, tzinfo=PARIS),
            ends_at=dt.datetime(NEXT_YEAR, 7, 15, 22, 30, tzinfo=PARIS),
        )
        cls.cancelled = EventFactory(title="Débat annulé", collective=cls.a, is_cancelled=True)
        cls.in_nice = EventFactory(title="Conseil municipal de Nice", kind="council", commune=cls.nice)
        cls.hidden = EventFactory(title="Réunion du collectif en attente", collective=cls.pending)
        cls.recent = EventFactory(title="Il y a dix jours", starts_at=timezone.now() - dt.timedelta(days=10))
        cls.old = EventFactory(title="Il y a deux mois", starts_at=timezone.now() - dt.timedelta(days=60))

    def calendar(self, url: str) -> icalendar.Calendar:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        return icalendar.Calendar.from_ical(response.content)

    def entries(self, url: str) -> dict[str, icalendar.Event]:
        return {str(e["SUMMARY"]): e for e in self.calendar(url).walk("VEVENT")}

    def test_the_site_feed_holds_upcoming_and_recent_visible_events(self):
        entries = self.entries("/evenements/calendrier.ics")
        self.assertEqual(
            set(entries),
            {
                "Réunion d'hiver",
                "Rassemblement d'été",
                "Débat annulé",
                "Conseil municipal de Nice",
                "Il y a dix jours",
            },
        )

    def test_an_entry_carries_uid_paris_times_and_status(self):
        cal = self.calendar("/evenements/calendrier.ics")
        self.assertEqual([str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")], ["Europe/Paris"])
        entries = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
        winter, summer = entries["Réunion d'hiver"], entries["Rassemblement d'été"]
        self.assertEqual(str(winter["UID"]), f"{self.meeting.uid}@127.0.0.1")
        self.assertEqual(winter["DTSTART"].params["TZID"], "Europe/Paris")
        self.assertEqual(
            str(winter.decoded("DTSTART")), str(dt.datetime(NEXT_YEAR, 1, 15, 20, 0, tzinfo=PARIS))
        )
        self.assertEqual(summer["DTSTART"].params["TZID"], "Europe/Paris")
        self.assertEqual(
            str(summer.decoded("DTSTART")), str(dt.datetime(NEXT_YEAR, 7, 15, 20, 0, tzinfo=PARIS))
        )
        self.assertEqual(summer.decoded("DTEND").astimezone(dt.UTC).hour, 20)
        self.assertIn("DTSTAMP", winter)
        self.assertEqual(str(winter["STATUS"]), "CONFIRMED")
        self.assertEqual(str(entries["Débat annulé"]["STATUS"]), "CANCELLED")
        self.assertIn("**micros**", str(winter["DESCRIPTION"]))
        self.assertEqual(str(winter["LOCATION"]), "Bourse du travail, Saint-Étienne")
        self.assertTrue(str(winter["URL"]).endswith(f"/evenements/{self.meeting.uid}/"))

    def test_the_raw_feed_names_the_zone_on_dtstart(self):
        body = self.client.get("/evenements/calendrier.ics").content.decode()
        self.assertIn(f"DTSTART;TZID=Europe/Paris:{NEXT_YEAR}0115T200000", body)
        self.assertIn(f"DTSTART;TZID=Europe/Paris:{NEXT_YEAR}0715T200000", body)
        self.assertIn("X-WR-CALNAME:", body)

    def test_a_department_feed_holds_only_its_events(self):
        self.assertEqual(
            set(self.entries("/evenements/departement/alpes-maritimes.ics")), {"Conseil municipal de Nice"}
        )
        self.assertNotIn("Conseil municipal de Nice", self.entries("/evenements/departement/loire.ics"))

    def test_a_collective_feed_holds_only_its_events(self):
        entries = self.entries("/evenements/collectif/tp-saint-etienne.ics")
        self.assertEqual(set(entries), {"Réunion d'hiver", "Débat annulé"})

    def test_a_pending_collective_has_no_feed_and_its_events_are_in_none(self):
        self.assertEqual(self.client.get("/evenements/collectif/en-attente.ics").status_code, 404)
        for url in ("/evenements/calendrier.ics", "/evenements/departement/loire.ics"):
            self.assertNotIn("Réunion du collectif en attente", self.entries(url))
        self.assertEqual(self.client.get(f"/evenements/{self.hidden.uid}.ics").status_code, 404)

    def test_one_event_as_a_calendar(self):
        entries = self.entries(f"/en/evenements/{self.summer.uid}.ics")
        self.assertEqual(list(entries), ["Rassemblement d'été"])

    def test_a_feed_kept_in_the_cache_shows_every_change(self):
        url = "/evenements/calendrier.ics"
        self.entries(url)  # written, and kept in the cache
        self.meeting.title = "Réunion d'hiver, salle changée"
        self.meeting.save()
        self.assertIn("Réunion d'hiver, salle changée", self.entries(url))
        self.a.name = "Collectif renommé"
        self.a.save()
        self.assertIn("Collectif renommé", str(self.entries(url)["Débat annulé"]["DESCRIPTION"]))
        EventFactory(title="Annoncé après", collective=self.b)
        self.assertIn("Annoncé après", self.entries(url))

    def test_a_feed_costs_one_query(self):
        with self.assertNumQueries(1):
            self.client.get("/evenements/calendrier.ics")
