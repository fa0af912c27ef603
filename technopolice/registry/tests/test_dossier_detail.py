import datetime as dt
from decimal import Decimal

from django.test import override_settings
from django.utils import timezone

from technopolice.testing.cases import BaseTestCase

from .factories import CommuneFactory, DepartmentFactory, DossierFactory, EventFactory, SourceFactory
from .world import build_world


class DossierDetailTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)
        d = cls.micros
        d.budget_eur, d.funding, d.camera_count = Decimal("24000"), "FIPD", 12
        d.legal_basis, d.vouched_by = "Article L251-2 du code de la sécurité intérieure", cls.bob
        d.description = (
            "La ville voulait des **capteurs**.\n\n"
            "<script>alert('x')</script><a href=\"javascript:alert(1)\">lien</a>"
        )
        d.save()
        SourceFactory(dossier=d)
        EventFactory(dossier=d)
        EventFactory(
            dossier=d,
            kind="deliberation",
            title="Vote du conseil municipal",
            date=dt.date(2019, 2, 1),
            verdict="",
        )

    def get(self, slug="micros", prefix="/en"):
        response = self.client.get(f"{prefix}/dossiers/{slug}/")
        self.assertEqual(response.status_code, 200)
        return response

    def test_it_shows_the_facts_of_the_dossier(self):
        response = self.get()
        for text in [
            "Micros dans les rues de Saint-Étienne",
            'href="/en/communes/saint-etienne-42218/"',
            "Audio sensors",
            'href="/en/organisations/serenicity/"',
            "Abandoned",
            "24,000 €",
            "FIPD",
            "12",
            "Article L251-2",
        ]:
            self.assertContains(response, text)

    def test_it_renders_the_description_and_strips_scripts(self):
        response = self.get()
        self.assertContains(response, "<strong>capteurs</strong>")
        self.assertNotContains(response, "<script>alert")
        self.assertNotContains(response, "javascript:alert")

    def test_it_lists_sources_with_url_publisher_date_and_kind(self):
        response = self.get()
        self.assertContains(
            response,
            'href="https://www.laquadrature.net/2019/03/saint-etienne/" rel="noopener noreferrer nofollow"',
        )
        self.assertContains(response, "La Quadrature du Net")
        self.assertContains(response, 'datetime="2019-03-19"')
        self.assertContains(response, "press article")

    def test_it_highlights_outcomes_in_the_timeline(self):
        content = self.get().content.decode()
        self.assertIn('class="outcome verdict-victory"', content)
        self.assertIn("CNIL opinion", content)
        # Oldest first: the council vote comes before the CNIL's warning.
        self.assertLess(content.index("Vote du conseil municipal"), content.index("La CNIL met en garde"))

    def test_it_shows_who_vouched_and_when_it_was_checked(self):
        response = self.get()
        self.assertContains(response, "bob, moderator")
        self.assertContains(response, f'datetime="{timezone.localdate():%Y-%m-%d}"')
        self.assertNotContains(response, "to re-check")

    @override_settings(REGISTRY_AGEING_DAYS=30)
    def test_it_marks_a_record_not_checked_for_too_long(self):
        DossierFactory(slug="old", last_checked=timezone.localdate() - dt.timedelta(days=31))
        response = self.get("old")
        self.assertContains(response, "to re-check")
        self.assertContains(response, "Not checked for more than 30 days")

    def test_it_shows_a_dispute_and_its_public_reason(self):
        DossierFactory(slug="contested", disputed=True, dispute_reason="The town denies the contract.")
        response = self.get("contested")
        self.assertContains(response, "This dossier is disputed.")
        self.assertContains(response, "The town denies the contract.")

    def test_it_marks_examples(self):
        DossierFactory(slug="demo", is_example=True)
        self.assertContains(self.get("demo"), "not a real documented deployment")
        self.assertNotContains(self.get(), "not a real documented deployment")

    def test_it_links_to_its_history_and_to_proposing_a_correction(self):
        response = self.get()
        self.assertContains(response, 'href="/en/dossiers/micros/historique/"')
        self.assertContains(response, 'href="/en/dossiers/micros/proposer/"')

    def test_it_shows_a_national_dossier_as_covering_the_whole_country(self):
        self.assertContains(self.get("taj"), "whole country")

    def test_it_lists_two_communes_of_the_same_name(self):
        # France has many: Saint-Denis in Seine-Saint-Denis and on La Réunion, for one.
        reunion = DepartmentFactory(code="974", name="La Réunion", slug="la-reunion")
        twins = [
            CommuneFactory(insee="93066", name="Saint-Denis"),
            CommuneFactory(insee="97411", name="Saint-Denis", department=reunion),
        ]
        DossierFactory(slug="deux-saint-denis", title="Deux Saint-Denis", communes=twins)
        response = self.get("deux-saint-denis")
        self.assertContains(response, "/saint-denis-93066/")
        self.assertContains(response, "/saint-denis-97411/")

    def test_it_answers_404_for_an_unknown_dossier(self):
        self.assertEqual(self.client.get("/dossiers/nothing-here/").status_code, 404)

    def test_it_costs_a_fixed_number_of_queries(self):
        # The dossier with its operator and voucher, its sources, its events, and every link in one;
        # its followers counted; its comments with their authors (content types are cached after the
        # first page a process serves).
        self.get()
        with self.assertNumQueries(6):
            self.get()
