"""Proposing a new dossier: anyone may, nothing is published, bad input saves nothing."""

from django.core.cache import cache
from django.test import override_settings

from technopolice.moderation.models import Proposal, ProposalState, hash_token
from technopolice.registry.models import Dossier
from technopolice.testing.cases import BaseTestCase

from .factories import CommuneFactory, DepartmentFactory, OrganisationFactory, dossier_payload
from .formdata import form_data, solved_altcha

URL = "/en/proposer/"


class ProposeTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()  # rate-limit counters and used ALTCHA challenges live in the cache

    def post(self, data, client=None):
        return (client or self.client).post(URL, data)

    def assertNothingSaved(self):
        self.assertFalse(Proposal.objects.exists())
        self.assertFalse(Dossier.objects.exists())


class ProposeFormTests(ProposeTestCase):
    def test_it_shows_the_form_to_anonymous_visitors(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        for name in ("title", "communes", "sources-0-url", "events-0-date", "message"):
            self.assertContains(response, f'name="{name}"')
        self.assertContains(response, '<div class="hp" aria-hidden="true">')
        self.assertContains(response, "<altcha-widget")
        self.assertContains(response, "&quot;algorithm&quot;: &quot;PBKDF2/SHA-256&quot;")
        self.assertContains(response, 'type="submit"')

    def test_a_fresh_form_shows_no_error_summary(self):
        self.assertNotContains(self.client.get(URL), "Some fields need your attention")

    def test_it_refuses_other_methods(self):
        self.assertEqual(self.client.put(URL).status_code, 405)

    def test_it_refuses_a_post_without_csrf_token(self):
        response = self.csrf_client.post(URL, form_data())
        self.assertEqual(response.status_code, 403)
        self.assertNothingSaved()


class ProposeTests(ProposeTestCase):
    def test_it_queues_an_anonymous_proposal_and_publishes_nothing(self):
        response = self.post(form_data(message="Vu dans la presse locale."))
        self.assertRedirects(response, "/en/proposer/envoye/", fetch_redirect_response=False)
        proposal = Proposal.objects.get()
        self.assertEqual(proposal.state, ProposalState.PENDING)
        self.assertIsNone(proposal.contributor)
        self.assertIsNone(proposal.target)
        self.assertEqual(proposal.kind, "dossier")
        self.assertEqual(proposal.payload, dossier_payload())
        self.assertEqual(proposal.message, "Vu dans la presse locale.")
        self.assertFalse(Dossier.objects.exists())

    def test_it_shows_the_follow_link_once(self):
        self.post(form_data())
        page = self.client.get("/en/proposer/envoye/")
        token = page.context["follow_url"].rstrip("/").rsplit("/", 1)[1]
        self.assertEqual(Proposal.objects.get().token_hash, hash_token(token))
        self.assertContains(page, f"/moderation/suivi/{token}/")
        self.assertNotContains(self.client.get("/en/proposer/envoye/"), token)

    def test_it_records_a_logged_in_contributor(self):
        self.post(form_data(), self.login(self.alice))
        self.assertEqual(Proposal.objects.get().contributor, self.alice)
        self.assertFalse(Dossier.objects.exists())

    def test_it_resolves_places_and_organisations_written_as_text(self):
        OrganisationFactory(name="Ville de Saint-Étienne", slug="ville-de-saint-etienne")
        OrganisationFactory(name="Serenicity")
        DepartmentFactory(code="69", name="Rhône")
        data = form_data(
            communes="42218", departments="42, 69", operator="ville de saint-étienne", vendors="SERENICITY"
        )
        self.post(data)
        payload = Proposal.objects.get().payload
        self.assertEqual(payload["communes"], ["42218"])
        self.assertEqual(payload["departments"], ["42", "69"])
        self.assertEqual(payload["operator"], "ville-de-saint-etienne")
        self.assertEqual(payload["vendors"], ["serenicity"])

    def test_it_accepts_a_commune_name_without_accents_when_unambiguous(self):
        self.post(form_data(communes="saint etienne"))
        self.assertEqual(Proposal.objects.get().payload["communes"], ["42218"])


class BadInputTests(ProposeTestCase):
    def assertRefused(self, data, field, message):
        response = self.post(data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        form = response.context["form"]
        errors = form.dossier.errors.get(field) if field else None
        if field:
            self.assertTrue(errors, f"no error on {field}")
        self.assertContains(response, "Some fields need your attention")
        self.assertNothingSaved()
        return response

    def test_it_refuses_a_proposal_without_source(self):
        data = form_data(dossier_payload(sources=[]))
        response = self.assertRefused(data, None, "Add at least one source")
        self.assertTrue(response.context["form"].sources.non_form_errors())

    def test_it_refuses_a_malformed_source_url(self):
        response = self.assertRefused(
            form_data(**{"sources-0-url": "http://exa mple"}), None, "Enter a valid URL"
        )
        self.assertIn("url", response.context["form"].sources.forms[0].errors)

    def test_it_refuses_dates_in_the_wrong_order(self):
        data = form_data(start_date="2020-01-01", end_date="2019-01-01")
        self.assertRefused(data, "end_date", "The end date comes before the start date.")

    def test_it_refuses_a_negative_budget(self):
        self.assertRefused(form_data(budget_eur="-1"), "budget_eur", "greater than or equal to 0")

    def test_it_names_the_unknown_commune(self):
        self.assertRefused(
            form_data(communes="Saint-Étienne (42)\nNulle-Part (99)"),
            "communes",
            "Unknown commune: Nulle-Part (99).",
        )

    def test_it_asks_for_the_department_of_an_ambiguous_commune(self):
        CommuneFactory(
            insee="69001", name="Saint-Étienne", department=DepartmentFactory(code="69", name="Rhône")
        )
        self.assertRefused(form_data(communes="Saint-Etienne"), "communes", "add the department")

    def test_it_names_an_unknown_vendor(self):
        self.assertRefused(
            form_data(vendors="Acme Surveillance"), "vendors", "Unknown organisation: Acme Surveillance."
        )

    def test_it_refuses_an_unknown_department(self):
        self.assertRefused(form_data(departments="42, 123"), "departments", "Unknown department code: 123.")

    def test_it_refuses_a_title_over_the_field_length(self):
        self.assertRefused(form_data(title="x" * 300), "title", "at most 200 characters")

    def test_it_refuses_a_one_megabyte_title_before_reading_it(self):
        response = self.post(form_data(title="x" * 1024 * 1024))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Nothing was saved", status_code=400)
        self.assertNothingSaved()

    def test_it_refuses_a_one_megabyte_title_with_a_clear_page_in_a_real_browser_request(self):
        # With CSRF enforced the middleware reads the body first: the 400 page must still be ours.
        self.csrf_client.get(URL)
        token = self.csrf_client.cookies["csrftoken"].value
        response = self.csrf_client.post(URL, form_data(title="x" * 1024 * 1024, csrfmiddlewaretoken=token))
        self.assertContains(response, "far too large", status_code=400)
        self.assertNothingSaved()

    def test_it_survives_a_post_without_any_field(self):
        response = self.post({})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].dossier.errors["title"])
        self.assertNothingSaved()

    def test_it_requires_a_reason_for_a_dispute(self):
        self.assertRefused(
            form_data(disputed="on", dispute_reason=""), "dispute_reason", "Say why the dossier is disputed"
        )


class SpamTrapTests(ProposeTestCase):
    def test_it_refuses_a_filled_honeypot_clearly_and_saves_nothing(self):
        response = self.post(form_data(website="https://spam.example"))
        self.assertContains(response, "A field meant to catch robots was filled in", status_code=400)
        self.assertNothingSaved()

    def test_it_accepts_a_really_solved_proof_of_work(self):
        self.post(form_data(altcha=solved_altcha()))
        self.assertFalse(Proposal.objects.get().without_proof_of_work)

    def test_it_flags_a_proposal_without_proof_of_work(self):
        self.post(form_data())
        self.assertTrue(Proposal.objects.get().without_proof_of_work)

    def test_it_flags_a_replayed_proof_of_work(self):
        payload = solved_altcha()
        self.post(form_data(altcha=payload))
        self.post(form_data(altcha=payload))
        self.assertEqual(
            list(Proposal.objects.order_by("pk").values_list("without_proof_of_work", flat=True)),
            [False, True],
        )

    def test_it_flags_a_forged_proof_of_work(self):
        self.post(form_data(altcha="eyJjaGFsbGVuZ2UiOiB7fX0="))
        self.assertTrue(Proposal.objects.get().without_proof_of_work)

    @override_settings(RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=2, RATELIMIT_PROPOSALS_PER_HOUR=10)
    def test_it_answers_429_after_the_stricter_limit_without_javascript(self):
        for _ in range(2):
            self.assertEqual(self.post(form_data()).status_code, 302)
        response = self.post(form_data())
        self.assertContains(response, "Too many attempts", status_code=429)
        self.assertEqual(Proposal.objects.count(), 2)
        # A visitor who solves the proof of work is still under the normal limit.
        self.assertEqual(self.post(form_data(altcha=solved_altcha())).status_code, 302)

    @override_settings(RATELIMIT_NOSCRIPT_PROPOSALS_PER_HOUR=1, RATELIMIT_PROPOSALS_PER_HOUR=1)
    def test_robots_do_not_use_up_the_quota_of_people_at_the_same_address(self):
        for _ in range(3):
            self.assertEqual(self.post(form_data(website="https://spam.example")).status_code, 400)
        self.assertEqual(self.post(form_data()).status_code, 302)

    @override_settings(RATELIMIT_PROPOSALS_PER_HOUR=3)
    def test_it_answers_429_after_the_normal_limit(self):
        for _ in range(3):
            self.assertEqual(self.post(form_data(altcha=solved_altcha())).status_code, 302)
        self.assertEqual(self.post(form_data(altcha=solved_altcha())).status_code, 429)
        self.assertEqual(Proposal.objects.count(), 3)
