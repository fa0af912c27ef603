import datetime
from unittest import mock

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from technopolice.complaints import actions, tasks
from technopolice.complaints.models import MandateVersion, Signatory
from technopolice.registry.tests.factories import DepartmentFactory

from .base import ComplaintsTestCase, links
from .factories import CampaignFactory, opened, sign_data


class SignTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.campaign = CampaignFactory()
        self.url = f"/en/plaintes/{self.campaign.slug}/"  # English: French strings come later

    def post(self, **overrides):
        return self.client.post(self.url, sign_data(self.campaign, **overrides))

    def test_it_shows_the_argument_grievances_form_and_retention(self):
        r = self.client.get(self.url)
        self.assertContains(r, "<strong>vidéosurveillance algorithmique</strong>", html=True)
        self.assertContains(r, "Reconnaissance faciale")
        self.assertContains(r, 'name="consent_mandate"')
        self.assertNotContains(r, "checked")  # consent boxes are never pre-ticked
        self.assertContains(r, "Je donne mandat.")

    def test_it_records_a_sealed_unconfirmed_signature_and_mails_the_link(self):
        r = self.post()
        self.assertRedirects(r, f"/en/plaintes/{self.campaign.slug}/merci/")
        s = Signatory.objects.get()
        self.assertIsNone(s.confirmed_at)
        identity = opened(s)
        self.assertEqual(
            (identity["first_name"], identity["last_name"], identity["email_filing"]),
            ("Zoé", "Quenouille", "zoe.quenouille@example.net"),
        )
        self.assertNotIn("Zoé", s.first_name_sealed)
        # Sent: the server no longer keeps the address nor the first name it wrote to.
        self.assertEqual((s.email_sealed, s.mail_name_sealed), ("", ""))
        self.assertEqual(s.mandate, self.campaign.current_mandate())
        self.assertEqual(s.mandate_hash, self.campaign.current_mandate().content_hash)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["zoe.quenouille@example.net"])
        self.assertEqual(set(links(mail.outbox[0])), {"confirm", "withdraw", "not_me"})
        self.assertEqual(len(mail.outbox[0].alternatives), 1)  # an HTML part too

    def test_it_stores_only_the_hash_of_the_confirmation_token(self):
        self.post()
        token = links(mail.outbox[0])["confirm"].rstrip("/").rsplit("/", 1)[1]
        s = Signatory.objects.get()
        self.assertNotEqual(s.confirm_token_hash, token)
        self.assertNotIn(token, str(Signatory.objects.values().get()))

    def test_signing_again_does_not_duplicate_and_resends_the_link(self):
        first = self.post()
        second = self.post(first_name="Autre", email="ZOE.Quenouille@example.net ")
        self.assertEqual(first.url, second.url)  # the visitor learns nothing
        self.assertEqual(Signatory.objects.count(), 1)
        self.assertEqual(opened(Signatory.objects.get())["first_name"], "Zoé")
        self.assertEqual(len(mail.outbox), 2)
        self.assertNotEqual(links(mail.outbox[0])["confirm"], links(mail.outbox[1])["confirm"])
        # not silently: the email says only the first sign-up is kept, and where to change it
        self.assertIn("Only the first sign-up is kept", mail.outbox[1].body)
        self.assertIn("/en/plaintes/ma-signature/", mail.outbox[1].body)

    def test_resending_is_limited_per_address(self):
        for _ in range(6):
            self.post()
        self.assertEqual(Signatory.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1 + 3)  # the first email, then COMPLAINTS_RESENDS_PER_HOUR

    def test_a_confirmed_address_signing_again_gets_a_notice_not_a_new_link(self):
        self.post()
        Signatory.objects.update(confirmed_at=timezone.now())
        r = self.post()
        self.assertEqual(r.status_code, 302)
        self.assertIn("already signed", mail.outbox[1].subject)
        self.assertNotIn("confirm", links(mail.outbox[1]))
        self.assertIn("withdraw", links(mail.outbox[1]))
        self.assertIn("nothing typed this time was kept", mail.outbox[1].body)
        self.assertIn("/en/plaintes/ma-signature/", mail.outbox[1].body)
        self.assertIn("The mandate you signed is version 1 of", mail.outbox[1].body)

    def test_the_visitor_rate_limit_refuses_with_a_message(self):
        # Without proof of work (see test_limits.py for the proved sign-ups).
        with self.settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2):
            self.post(email="a@example.net")
            self.post(email="b@example.net")
            r = self.post(email="c@example.net")
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Too many sign-ups without the anti-robot check", status_code=429)
        self.assertEqual(Signatory.objects.count(), 2)

    def test_the_honeypot_thanks_bots_and_saves_nothing(self):
        r = self.post(website="http://spam.example")
        self.assertEqual(r.status_code, 302)
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_robots_do_not_use_up_the_quota_of_people_at_the_same_address(self):
        with self.settings(COMPLAINTS_UNPROVED_SIGNUPS_PER_VISITOR_PER_HOUR=2):
            for _ in range(5):
                self.assertEqual(self.post(website="http://spam.example").status_code, 302)
            self.post(email="a@example.net")
            r = self.post(email="b@example.net")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(Signatory.objects.count(), 2)

    def assert_refused(self, response, message, status=200):
        self.assertContains(response, message, status_code=status)
        self.assertFalse(Signatory.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_it_refuses_an_invalid_email(self):
        self.assert_refused(self.post(email="pas-une-adresse"), "Enter a valid email address")

    def test_it_refuses_an_overlong_email(self):
        self.assert_refused(self.post(email="a" * 250 + "@example.net"), "254")

    def test_it_refuses_missing_consent(self):
        self.assert_refused(self.post(consent_mandate=""), "Without this mandate")
        self.assert_refused(self.post(consent_data=""), "We cannot keep")

    def test_it_refuses_a_grievance_from_another_campaign(self):
        other = CampaignFactory().grievances.first()
        self.assert_refused(self.post(grievances=[other.pk]), "not part of this campaign")
        self.assert_refused(self.post(grievances=["x"]), "not part of this campaign")
        self.assert_refused(self.post(grievances=[]), "at least one grievance")

    def test_it_refuses_a_mandate_that_changed_since_the_page_was_read(self):
        self.assert_refused(self.post(mandate_hash="0" * 64), "mandate text has just changed")

    def test_it_refuses_a_closed_campaign(self):
        self.campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        self.campaign.save()
        self.assertContains(self.client.get(self.url), "is closed")
        self.assert_refused(self.post(), "is closed", status=403)

    def test_it_refuses_a_campaign_not_yet_open(self):
        self.campaign.opens_at = timezone.now() + datetime.timedelta(days=1)
        self.campaign.save()
        self.assert_refused(self.post(), "not open yet", status=403)

    def test_it_asks_the_commune_only_when_required(self):
        self.assertNotContains(self.client.get(self.url), 'name="postal_code"')
        self.campaign.location_required = "commune"
        self.campaign.save()
        self.assertContains(self.client.get(self.url), 'name="postal_code"')
        self.assert_refused(self.post(), "This field is required")
        self.assert_refused(self.post(postal_code="4200", commune="Saint-Étienne"), "five digits")

    def test_it_keeps_the_department_readable_and_the_address_sealed(self):
        DepartmentFactory(code="42", name="Loire")
        self.campaign.location_required = "address"
        self.campaign.save()
        self.post(street="1 rue de la Paix", postal_code="42000", commune="Saint-Étienne")
        s = Signatory.objects.get()
        self.assertEqual(s.department.code, "42")
        self.assertEqual(opened(s)["address"], "1 rue de la Paix\n42000 Saint-Étienne")
        self.assertNotIn("Paix", s.address_sealed)

    def test_it_refuses_other_methods_and_missing_csrf(self):
        self.assertEqual(self.client.put(self.url).status_code, 405)
        r = self.csrf_client.post(self.url, sign_data(self.campaign))
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Signatory.objects.exists())

    def test_an_unknown_campaign_is_404(self):
        self.assertEqual(self.client.get("/en/plaintes/nope/").status_code, 404)

    def test_the_list_shows_campaigns(self):
        self.assertContains(self.client.get("/en/plaintes/"), self.campaign.title)


class RaceTests(ComplaintsTestCase):
    def test_two_identical_submissions_at_once_leave_one_signature(self):
        from technopolice.complaints import actions
        from technopolice.complaints.forms import SignForm

        campaign = CampaignFactory()
        form = SignForm(campaign, sign_data(campaign))
        self.assertTrue(form.is_valid())
        # Both requests passed validation; the second INSERT meets the unique constraint.
        actions.sign(form.signature())
        actions.sign(form.signature())
        self.assertEqual(Signatory.objects.count(), 1)
        self.assertEqual(Signatory.objects.get().grievances.count(), 1)
        self.assertEqual(len(mail.outbox), 2)  # the second one resent the link


class CampaignRulesTests(ComplaintsTestCase):
    def test_a_campaign_must_close_after_it_opens(self):
        from django.core.exceptions import ValidationError

        from technopolice.complaints.models import Campaign

        now = timezone.now()
        campaign = Campaign(
            title="t", slug="t", argument="a", filing_organisation="o", opens_at=now, closes_at=now
        )
        with translation.override("en"), self.assertRaisesMessage(ValidationError, "close after it opens"):
            campaign.full_clean()


@override_settings(TASKS=settings.TASKS)
class KeptCampaignTests(ComplaintsTestCase):
    """A process keeps the campaign, its mandate and grievances for a few seconds (actions.signing)."""

    def setUp(self):
        super().setUp()
        tasks.forget_wake_ups()
        self.campaign = CampaignFactory()
        self.url = f"/en/plaintes/{self.campaign.slug}/"

    def test_a_sign_up_reads_nothing_before_it_writes(self):
        first, second = (sign_data(self.campaign, email=f"{n}@example.net") for n in ("first", "second"))
        with mock.patch.object(tasks, "WAKE_SECONDS", 60):
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(self.url, first)
            with CaptureQueriesContext(connection) as queries:
                r = self.client.post(self.url, second)
        self.assertEqual(r.status_code, 302)
        # The signatory and its grievance; the first sign-up's wake-ups cover this one.
        self.assertEqual(
            [q["sql"].split()[0] for q in queries if "SAVEPOINT" not in q["sql"]], ["INSERT"] * 2
        )
        self.assertEqual(Signatory.objects.exclude(mail_due_at=None).count(), 2)  # both owed their email

    def test_the_signatory_is_bound_to_the_version_they_read(self):
        self.client.get(self.url)
        kept = actions._signings[self.campaign.slug]
        old = self.campaign.current_mandate()
        new = MandateVersion.objects.create(campaign=self.campaign, number=2, text="Nouveau mandat.")
        actions._signings[self.campaign.slug] = kept  # as in another process, which still keeps version 1
        self.client.post(
            self.url, sign_data(self.campaign, email="new@example.net", mandate_hash=new.content_hash)
        )
        self.client.post(
            self.url, sign_data(self.campaign, email="old@example.net", mandate_hash=old.content_hash)
        )
        versions = dict(Signatory.objects.values_list("mandate__number", "mandate_hash"))
        self.assertEqual(versions, {2: new.content_hash, 1: old.content_hash})

    def test_a_staff_edit_in_this_process_shows_at_once(self):
        self.client.get(self.url)
        self.campaign.closes_at = timezone.now()
        self.campaign.save()
        self.assertContains(
            self.client.post(self.url, sign_data(self.campaign)), "is closed", status_code=403
        )

    def test_a_grievance_ticked_twice_counts_once(self):
        grievance = self.campaign.grievances.first()
        self.client.post(self.url, sign_data(self.campaign, grievances=[grievance.pk, grievance.pk]))
        self.assertEqual(list(Signatory.objects.get().grievances.all()), [grievance])
