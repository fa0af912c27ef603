"""Publishing, editing and cancelling events: who may, and what bad input gets back."""

import datetime as dt

from django.utils import timezone

from technopolice.collectives.tests.factories import add_member
from technopolice.events.models import Event
from technopolice.registry.tests.factories import DossierFactory
from technopolice.testing.cases import BaseTestCase, make_user

from .factories import EventFactory
from .world import build_world

NEXT_YEAR = timezone.localdate().year + 1


def form_data(**overrides) -> dict:
    data = {
        "collective": "tp-saint-etienne",
        "title": "Réunion contre les micros",
        "kind": "meeting",
        "description": "Venez nombreux.",
        "start_date": f"{NEXT_YEAR}-01-15",
        "start_time": "20:00",
        "end_date": "",
        "end_time": "22:00",
        "commune": "Saint-Étienne (42)",
        "address": "Bourse du travail",
        "online_url": "",
        "department": "",
        "dossier": "",
    }
    return {**data, **overrides}


class PublishTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def test_it_lets_an_organiser_publish_for_their_collective(self):
        self.login(self.alice)
        response = self.client.post("/evenements/nouveau/", form_data(dossier="/dossiers/micros/"))
        event = Event.objects.get()
        self.assertRedirects(response, event.get_absolute_url())
        self.assertEqual(event.collective, self.a)
        self.assertEqual(event.department, self.loire)
        self.assertEqual(event.dossier, self.dossier)
        self.assertEqual(event.created_by, self.alice)

    def test_it_stores_paris_evening_as_utc_in_winter_and_summer(self):
        self.login(self.alice)
        self.client.post("/evenements/nouveau/", form_data(title="Hiver", start_date=f"{NEXT_YEAR}-01-15"))
        self.client.post("/evenements/nouveau/", form_data(title="Été", start_date=f"{NEXT_YEAR}-07-15"))
        winter, summer = Event.objects.get(title="Hiver"), Event.objects.get(title="Été")
        self.assertEqual(winter.starts_at, dt.datetime(NEXT_YEAR, 1, 15, 19, 0, tzinfo=dt.UTC))
        self.assertEqual(summer.starts_at, dt.datetime(NEXT_YEAR, 7, 15, 18, 0, tzinfo=dt.UTC))
        self.assertEqual(summer.ends_at, dt.datetime(NEXT_YEAR, 7, 15, 20, 0, tzinfo=dt.UTC))

    def test_it_refuses_an_organiser_publishing_for_another_collective(self):
        self.login(self.alice)
        response = self.client.post("/evenements/nouveau/", form_data(collective="tp-nice"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Event.objects.exists())

    def test_it_refuses_an_organiser_publishing_for_a_pending_collective(self):
        self.login(self.alice)
        response = self.client.post("/evenements/nouveau/", form_data(collective="en-attente"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Event.objects.exists())

    def test_it_refuses_a_plain_member_and_an_outsider(self):
        member = make_user("dave")
        add_member(self.a, member)
        outsider = make_user("erin")
        for user in (member, outsider):
            self.login(user)
            self.assertEqual(self.client.get("/evenements/nouveau/").status_code, 403)
            self.assertEqual(self.client.post("/evenements/nouveau/", form_data()).status_code, 403)
        self.assertFalse(Event.objects.exists())

    def test_a_plain_member_cannot_edit_their_collectives_event(self):
        event = EventFactory(collective=self.a)
        self.login(self.mallory)  # a member of A, not its organiser
        response = self.client.post(f"/evenements/{event.uid}/modifier/", form_data(title="Changé"))
        self.assertEqual(response.status_code, 403)

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        response = self.client.get("/evenements/nouveau/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/comptes/", response["Location"])

    def test_it_lets_a_moderator_publish_without_a_collective(self):
        self.login(self.bob)
        response = self.client.post("/evenements/nouveau/", form_data(collective=""))
        event = Event.objects.get()
        self.assertRedirects(response, event.get_absolute_url())
        self.assertIsNone(event.collective)

    def test_the_form_offers_organisers_their_collectives_and_moderators_any(self):
        self.login(self.alice)
        choices = self.client.get("/en/evenements/nouveau/").context["form"].fields["collective"].queryset
        self.assertEqual(list(choices), [self.a])
        self.login(self.bob)
        response = self.client.get("/en/evenements/nouveau/")
        self.assertContains(response, "none (published by the moderators)")
        self.assertContains(response, 'value="tp-nice"')
        self.assertNotContains(response, 'value="en-attente"')

    def test_it_lets_a_moderator_attach_any_collective(self):
        self.login(self.bob)
        self.client.post("/evenements/nouveau/", form_data(collective="tp-nice"))
        self.assertEqual(Event.objects.get().collective, self.b)

    def test_it_accepts_an_online_event_without_a_commune(self):
        self.login(self.alice)
        data = form_data(commune="", address="", online_url="https://visio.example.org/r", department="loire")
        self.client.post("/evenements/nouveau/", data)
        event = Event.objects.get()
        self.assertIsNone(event.commune)
        self.assertEqual(event.department, self.loire)


class EditTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        cls.event = EventFactory(collective=cls.a, commune=cls.saint_etienne)

    def edit_url(self) -> str:
        return f"/evenements/{self.event.uid}/modifier/"

    def cancel_url(self) -> str:
        return f"/evenements/{self.event.uid}/annuler/"

    def test_its_organiser_edits_it(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.edit_url()), 'value="Saint-Étienne (42)"')
        response = self.client.post(self.edit_url(), form_data(title="Nouveau titre"))
        self.assertRedirects(response, self.event.get_absolute_url())
        self.event.refresh_from_db()
        self.assertEqual(self.event.title, "Nouveau titre")

    def test_the_form_suggests_the_dossiers_of_the_commune(self):
        DossierFactory(title="Caméras de la gare", slug="cameras-gare", communes=[self.saint_etienne])
        DossierFactory(title="Drones niçois", slug="drones-nice", communes=[self.nice])
        self.login(self.alice)
        response = self.client.get(self.edit_url())
        self.assertContains(response, '<option value="cameras-gare">Caméras de la gare</option>')
        self.assertNotContains(response, "drones-nice")
        response = self.client.post(self.edit_url(), form_data(dossier="cameras-gare"))
        self.event.refresh_from_db()
        self.assertEqual(self.event.dossier.slug, "cameras-gare")

    def test_an_organiser_of_another_collective_cannot_edit_or_cancel(self):
        self.login(self.mallory)  # organiser of B, plain member of A
        self.assertEqual(self.client.get(self.edit_url()).status_code, 403)
        self.assertEqual(self.client.post(self.edit_url(), form_data(title="Piraté")).status_code, 403)
        self.assertEqual(self.client.post(self.cancel_url()).status_code, 403)
        self.event.refresh_from_db()
        self.assertEqual((self.event.title[:7], self.event.is_cancelled), ("Réunion", False))

    def test_an_organiser_cannot_move_their_event_to_another_collective(self):
        self.login(self.alice)
        response = self.client.post(self.edit_url(), form_data(collective="tp-nice"))
        self.assertEqual(response.status_code, 400)
        self.event.refresh_from_db()
        self.assertEqual(self.event.collective, self.a)

    def test_a_moderator_edits_and_cancels_it(self):
        self.login(self.bob)
        self.client.post(self.edit_url(), form_data(title="Corrigé"))
        response = self.client.post(self.cancel_url())
        self.assertRedirects(response, self.event.get_absolute_url())
        self.event.refresh_from_db()
        self.assertEqual((self.event.title, self.event.is_cancelled), ("Corrigé", True))
        self.assertContains(
            self.client.get(self.event.get_absolute_url()), "Cet événement est annulé.", status_code=200
        )

    def test_cancel_takes_post_only_and_a_csrf_token(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.cancel_url()).status_code, 405)
        self.login(self.alice, self.csrf_client)
        self.assertEqual(self.csrf_client.post(self.cancel_url()).status_code, 403)
        self.event.refresh_from_db()
        self.assertFalse(self.event.is_cancelled)

    def test_its_organiser_cancels_it(self):
        self.login(self.alice)
        self.client.post(self.cancel_url())
        self.event.refresh_from_db()
        self.assertTrue(self.event.is_cancelled)


class BadInputTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def post(self, prefix: str = "", **overrides):
        self.login(self.alice)
        return self.client.post(f"{prefix}/evenements/nouveau/", form_data(**overrides))

    def test_an_end_before_the_start_is_refused_in_french_and_english(self):
        response = self.post(end_time="19:00")
        self.assertIn("end_time", response.context["form"].errors)
        self.assertContains(response, '<html lang="fr">', status_code=400)
        self.assertContains(response, "La fin précède le début.", status_code=400)
        english = self.post("/en", end_time="19:00")
        self.assertContains(english, "The end comes before the start.", status_code=400)
        self.assertFalse(Event.objects.exists())

    def test_a_place_is_required(self):
        response = self.post("/en", commune="", online_url="")
        self.assertContains(
            response, "Give the commune where it takes place, or the address online.", status_code=400
        )

    def test_an_unknown_commune_and_dossier_are_named(self):
        response = self.post("/en", commune="Atlantis (99)", dossier="nulle-part")
        self.assertContains(response, "Unknown commune: Atlantis (99).", status_code=400)
        self.assertContains(response, "Unknown dossier: nulle-part.", status_code=400)

    def test_more_than_two_years_ahead_is_refused(self):
        response = self.post("/en", start_date=f"{NEXT_YEAR + 2}-12-31")
        self.assertContains(response, "at most two years ahead", status_code=400)

    def test_bogus_dates_and_times_get_a_message_in_the_visitors_language(self):
        response = self.post("/en", start_date="32/13/2026", start_time="25:99")
        self.assertContains(response, "Enter a valid date.", status_code=400)
        self.assertContains(response, "Enter a valid time.", status_code=400)
        response = self.post(start_date="32/13/2026")
        self.assertContains(response, "Saisissez une date valide.", status_code=400)

    def test_a_script_in_the_description_is_neutralised(self):
        self.post(description='Salut <script>alert("x")</script> <img src=x onerror=alert(1)> **gras**')
        event = Event.objects.get()
        page = self.client.get(event.get_absolute_url()).content.decode()
        self.assertNotIn("<script>alert", page)
        self.assertNotIn("onerror", page)
        self.assertIn("<strong>gras</strong>", page)

    def test_bogus_addresses_are_404(self):
        self.login(self.alice)
        for url in (
            "/evenements/pas-un-uuid/",
            "/evenements/00000000-0000-0000-0000-000000000000/",
            "/evenements/00000000-0000-0000-0000-000000000000.ics",
            "/evenements/departement/nulle-part.ics",
            "/evenements/collectif/nulle-part.ics",
            "/en/evenements/00000000-0000-0000-0000-000000000000/modifier/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
