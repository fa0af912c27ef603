import datetime as dt

from django.test import override_settings
from django.utils import timezone

from technopolice.registry.models import Organisation
from technopolice.testing.cases import BaseTestCase

from .factories import EventFactory
from .test_dossier_list import slugs_in
from .world import build_world


class OutcomeTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        EventFactory(dossier=cls.micros, date=dt.date(2019, 10, 29), title="La CNIL met en garde")
        EventFactory(
            dossier=cls.safe_city,
            date=dt.date(2022, 3, 1),
            kind="court_decision",
            verdict="defeat",
            title="Le tribunal valide",
        )
        EventFactory(
            dossier=cls.safe_city, date=dt.date(2021, 1, 1), kind="contract", verdict="", title="Contrat"
        )

    def titles(self, **params):
        response = self.client.get("/decisions.json", params)
        self.assertEqual(response.status_code, 200)
        return [r["title"] for r in response.json()["rows"]]

    def test_it_lists_only_outcomes_newest_first(self):
        self.assertEqual(self.titles(), ["Le tribunal valide", "La CNIL met en garde"])
        response = self.client.get("/decisions/")
        self.assertContains(response, 'href="/dossiers/safe-city/"')
        self.assertNotContains(response, "Contrat")

    def test_it_filters_by_verdict_kind_and_technology(self):
        self.assertEqual(self.titles(verdict="victory"), ["La CNIL met en garde"])
        self.assertEqual(self.titles(kind="court_decision"), ["Le tribunal valide"])
        self.assertEqual(self.titles(technology="avs"), ["Le tribunal valide"])

    def test_it_refuses_a_kind_that_is_not_an_outcome(self):
        body = self.client.get("/en/decisions.json", {"kind": "contract"}).json()
        self.assertEqual(body["error"]["status"], 400)
        self.assertIn("Unknown kind of outcome", body["error"]["message"])


@override_settings(REGISTRY_AGEING_DAYS=30)
class AgeingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        today = timezone.localdate()
        cls.micros.last_checked = today - dt.timedelta(days=400)
        cls.micros.save()
        cls.taj.last_checked = None
        cls.taj.save()
        cls.safe_city.last_checked = today - dt.timedelta(days=31)
        cls.safe_city.save()
        Organisation.objects.filter(slug="serenicity").update(last_checked=today)

    def test_it_lists_dossiers_not_checked_in_time_never_checked_first(self):
        response = self.client.get("/en/a-reverifier/")
        self.assertEqual(slugs_in(response.content), ["taj", "micros", "safe-city"])
        self.assertContains(response, "more than 30 days")

    def test_its_twin_has_the_same_rows(self):
        rows = self.client.get("/a-reverifier.json").json()["rows"]
        self.assertEqual([r["slug"] for r in rows], ["taj", "micros", "safe-city"])

    def test_it_lists_organisations_too(self):
        rows = self.client.get("/a-reverifier.json", {"record": "organisations"}).json()["rows"]
        self.assertEqual([r["slug"] for r in rows], ["ville-de-nice"])
