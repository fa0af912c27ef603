"""A campaign's life cycle: draft → scheduled → open → closed → filed; the verbs, the admin's
actions and form, and what the public (and staff's preview) sees at each step."""

import datetime
import re
from unittest import mock

from django.utils import timezone, translation

from technopolice.complaints import actions, lifecycle
from technopolice.complaints.models import Campaign, CampaignState, CampaignStatus, Grievance, Signatory

from .base import ComplaintsTestCase
from .factories import PUBLIC_KEY, CampaignFactory, sign_data

DAY = datetime.timedelta(days=1)
ADMIN = "/en/admin/complaints/campaign/"


def draft(**kwargs) -> Campaign:
    return CampaignFactory(status=CampaignStatus.DRAFT, **kwargs)


def closed(**kwargs) -> Campaign:
    now = timezone.now()
    return CampaignFactory(opens_at=now - 30 * DAY, closes_at=now - DAY, **kwargs)


def bare_draft(**kwargs) -> Campaign:
    """A draft with neither grievance nor mandate (the factory always adds them)."""
    campaign = draft(**kwargs)
    campaign.grievances.all().delete()
    campaign.mandates.all().delete()
    return campaign


class VerbTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        translation.activate("en")

    def test_publishing_a_complete_draft_makes_it_public_with_its_date(self):
        campaign = draft()
        lifecycle.publish(campaign)
        campaign.refresh_from_db()
        self.assertEqual((campaign.status, campaign.state), (CampaignStatus.PUBLISHED, CampaignState.OPEN))
        self.assertAlmostEqual(campaign.published_at, timezone.now(), delta=datetime.timedelta(seconds=5))

    def test_publishing_refuses_and_names_every_problem(self):
        now = timezone.now()
        campaign = bare_draft(public_key="", opens_at=now + DAY, closes_at=now)
        with self.assertRaises(lifecycle.LifecycleRefused) as refused:
            lifecycle.publish(campaign)
        problems = " ".join(refused.exception.problems)
        for words in ["no grievance", "no mandate text", "no public key", "closes before it opens"]:
            self.assertIn(words, problems)
        self.assertIn("technopolice complaint_keys", problems)
        campaign.refresh_from_db()
        self.assertEqual((campaign.status, campaign.published_at), (CampaignStatus.DRAFT, None))

    def test_an_invalid_key_or_a_past_closing_date_keeps_a_draft(self):
        campaign = draft(public_key="not-a-key")
        self.assertEqual(len(lifecycle.publication_problems(campaign)), 1)
        self.assertIn("not a campaign key", lifecycle.publication_problems(campaign)[0])
        past = draft(opens_at=timezone.now() - 10 * DAY, closes_at=timezone.now() - DAY)
        self.assertIn("already past", " ".join(lifecycle.publication_problems(past)))
        self.assertEqual(lifecycle.publication_problems(draft()), [])

    def test_a_public_campaign_is_not_published_twice(self):
        campaign = CampaignFactory()
        with self.assertRaises(lifecycle.LifecycleRefused):
            lifecycle.publish(campaign)

    def test_unpublishing_only_while_nobody_signed(self):
        campaign = CampaignFactory()
        lifecycle.unpublish(campaign)
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.DRAFT)
        lifecycle.publish(campaign)
        self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        self.assertEqual(Signatory.objects.count(), 1)
        with self.assertRaisesRegex(lifecycle.LifecycleRefused, "People have signed"):
            lifecycle.unpublish(campaign)
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.PUBLISHED)

    def test_filing_only_once_closed_on_a_real_day(self):
        campaign = CampaignFactory()
        with self.assertRaisesRegex(lifecycle.LifecycleRefused, "once it has closed: this one is open"):
            lifecycle.mark_filed(campaign, timezone.localdate(), "ref")
        campaign = closed()
        tomorrow = timezone.localdate() + DAY
        with self.assertRaisesRegex(lifecycle.LifecycleRefused, "future"):
            lifecycle.mark_filed(campaign, tomorrow, "ref")
        with self.assertRaisesRegex(lifecycle.LifecycleRefused, "before the campaign opened"):
            lifecycle.mark_filed(campaign, timezone.localdate(campaign.opens_at) - DAY)
        lifecycle.mark_filed(campaign, timezone.localdate(), "  CNIL-2026-0042 ")
        campaign.refresh_from_db()
        self.assertEqual(
            (campaign.state, campaign.filed_at, campaign.filing_reference),
            (CampaignState.FILED, timezone.localdate(), "CNIL-2026-0042"),
        )
        with self.assertRaisesRegex(lifecycle.LifecycleRefused, "already marked as filed"):
            lifecycle.mark_filed(campaign, timezone.localdate())

    def test_the_state_filter_agrees_with_each_campaigns_state(self):
        now = timezone.now()
        campaigns = [
            draft(),
            CampaignFactory(opens_at=now + DAY, closes_at=now + 2 * DAY),
            CampaignFactory(),
            closed(),
            closed(status=CampaignStatus.FILED, filed_at=timezone.localdate()),
        ]
        for moment in [now, now + 1.5 * DAY, now + 3 * DAY]:
            for state in CampaignState:
                with self.subTest(state=state, moment=moment):
                    found = set(Campaign.objects.filter(lifecycle.in_state(state, moment)))
                    self.assertEqual(found, {c for c in campaigns if c.state_at(moment) == state})


class ScheduledOpeningTests(ComplaintsTestCase):
    """A scheduled campaign opens when its date comes, nobody acting: only the clock moves."""

    def test_a_published_campaign_opens_and_closes_at_its_dates(self):
        now = timezone.now()
        campaign = draft(opens_at=now + datetime.timedelta(hours=1), closes_at=now + 2 * DAY)
        lifecycle.publish(campaign)
        url = f"/en/plaintes/{campaign.slug}/"
        r = self.client.get(url)
        self.assertContains(r, "Scheduled")
        self.assertContains(r, "Opens on")
        self.assertNotContains(r, 'name="consent_mandate"')
        self.assertEqual(self.client.post(url, sign_data(campaign)).status_code, 403)
        self.assertEqual(list(self.client.get("/en/plaintes/?state=open").context["page"].object_list), [])

        later = now + datetime.timedelta(hours=2)
        with mock.patch("django.utils.timezone.now", return_value=later):
            r = self.client.get(url)
            self.assertContains(r, "Open: closes on")
            self.assertContains(r, 'name="consent_mandate"')
            self.assertRedirects(self.client.post(url, sign_data(campaign)), f"{url}merci/")
            listed = self.client.get("/en/plaintes/?state=open").context["page"].object_list
            self.assertEqual(list(listed), [campaign])
        self.assertEqual(Signatory.objects.filter(campaign=campaign).count(), 1)
        with mock.patch("django.utils.timezone.now", return_value=now + 3 * DAY):
            self.assertEqual(Campaign.objects.get().state, CampaignState.CLOSED)
            self.assertContains(self.client.get(url), "Closed on")


class PublicPagesTests(ComplaintsTestCase):
    def test_the_public_sees_nothing_of_a_draft(self):
        campaign = draft(title="Embargoed launch")
        public = CampaignFactory(title="Already public")
        for path in [f"/en/plaintes/{campaign.slug}/", f"/en/plaintes/{campaign.slug}/merci/"]:
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)
        self.assertEqual(
            self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign)).status_code, 404
        )
        for query in ["", "?state=draft", "?state=open"]:
            r = self.client.get(f"/en/plaintes/{query}")
            self.assertNotContains(r, "Embargoed launch")
        self.assertContains(self.client.get("/en/plaintes/"), "Already public")
        self.login(self.mallory)  # an account is not enough
        self.assertEqual(self.client.get(public.get_absolute_url()).status_code, 200)
        self.assertEqual(self.client.get(f"/en/plaintes/{campaign.slug}/").status_code, 404)
        self.assertEqual(Signatory.objects.count(), 0)

    def test_the_process_kept_campaign_does_not_leak_a_draft_nor_hide_a_publication(self):
        campaign = CampaignFactory()
        url = f"/en/plaintes/{campaign.slug}/"
        self.assertEqual(self.client.get(url).status_code, 200)  # now kept by this process
        lifecycle.unpublish(campaign)
        self.assertEqual(self.client.get(url).status_code, 404)
        lifecycle.publish(campaign)
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_staff_preview_a_draft_with_a_banner_and_a_disabled_form(self):
        campaign = draft()
        url = f"/en/plaintes/{campaign.slug}/"
        self.login(self.carol)
        r = self.client.get(url)
        self.assertContains(r, "Preview: not public.")
        self.assertContains(r, f'href="/en/admin/complaints/campaign/{campaign.pk}/change/"')
        self.assertContains(r, 'name="consent_mandate"')
        form = re.search(
            r"<form method=\"post\" action=\"[^\"]*#sign\".*?</form>", r.content.decode(), re.S
        ).group(0)
        self.assertIn("<fieldset disabled", form)
        self.assertIn("no-store", r["Cache-Control"])
        self.assertIn("private", r["Cache-Control"])
        self.assertNotContains(self.client.get("/en/plaintes/"), campaign.title)  # the list is the public's

    def test_a_draft_still_being_written_can_be_previewed(self):
        campaign = bare_draft(public_key="")
        self.login(self.carol)
        r = self.client.get(f"/en/plaintes/{campaign.slug}/")
        self.assertContains(r, "Preview: not public.")
        self.assertNotContains(r, 'name="consent_mandate"')  # no mandate yet: no form to show

    def test_nothing_can_be_signed_in_a_preview(self):
        campaign = draft()
        self.login(self.carol)
        r = self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        self.assertContains(r, "This is a preview: nothing can be signed", status_code=403)
        self.assertEqual(Signatory.objects.count(), 0)

    def test_the_public_campaign_page_does_not_say_preview(self):
        r = self.client.get(CampaignFactory().get_absolute_url().replace("/plaintes/", "/en/plaintes/"))
        self.assertNotContains(r, "Preview")
        self.assertNotIn("no-store", r.get("Cache-Control", ""))

    def test_the_list_says_each_campaigns_state_and_filters_by_it(self):
        now = timezone.now()
        CampaignFactory(title="Soon", opens_at=now + 5 * DAY, closes_at=now + 9 * DAY)
        CampaignFactory(title="Now")
        closed(title="Over")
        closed(
            title="Done",
            status=CampaignStatus.FILED,
            filed_at=datetime.date(2026, 3, 2),
            filing_reference="R-17",
        )
        r = self.client.get("/en/plaintes/")
        for words in [
            "Opens on",
            "Open: closes on",
            "Closed on",
            "Filed with the CNIL on March 2, 2026 (reference R-17).",
        ]:
            self.assertContains(r, words)
        expected = {"scheduled": ["Soon"], "open": ["Now"], "closed": ["Over"], "filed": ["Done"]}
        for state, titles in expected.items():
            with self.subTest(state=state):
                page = self.client.get(f"/en/plaintes/?state={state}").context["page"]
                self.assertEqual([c.title for c in page.object_list], titles)
        for bad in ["nonsense", "draft", "open\x00", "x" * 5000]:
            with self.subTest(bad=bad[:10]):
                r = self.client.get("/en/plaintes/", {"state": bad})
                self.assertEqual(len(r.context["page"].object_list), 4)

    def test_the_list_is_paginated_and_keeps_the_filter(self):
        for _n in range(21):
            CampaignFactory()
        r = self.client.get("/en/plaintes/?state=open")
        self.assertEqual(len(r.context["page"].object_list), 20)
        self.assertContains(r, "?state=open&amp;page=2")
        self.assertEqual(
            len(self.client.get("/en/plaintes/?state=open&page=2").context["page"].object_list), 1
        )
        self.assertEqual(self.client.get("/en/plaintes/?page=999").status_code, 200)

    def test_a_filed_campaign_page_says_so(self):
        campaign = closed(status=CampaignStatus.FILED, filed_at=datetime.date(2026, 3, 2))
        r = self.client.get(f"/en/plaintes/{campaign.slug}/")
        self.assertContains(r, "Filed with the CNIL on March 2, 2026.")
        self.assertContains(r, "its complaint has been filed")
        self.assertNotContains(r, 'name="consent_mandate"')


class AdminLifecycleTests(ComplaintsTestCase):
    def setUp(self):
        super().setUp()
        self.login(self.carol)

    def action(self, campaign, action, on_page=False, **extra):
        if on_page:
            data = {"CHANGE_FORM-action": action, "_selected_action": campaign.pk, "index": 0, **extra}
            return self.client.post(f"{ADMIN}{campaign.pk}/change/", data, follow=True)
        data = {"action": action, "_selected_action": campaign.pk, "index": 0, **extra}
        return self.client.post(ADMIN, data, follow=True)

    def messages(self, response) -> list[str]:
        return [str(m) for m in response.context["messages"]]

    def test_the_list_shows_the_state_and_filters_by_status(self):
        draft(title="The draft")
        CampaignFactory(title="The open one")
        r = self.client.get(ADMIN)
        self.assertContains(r, '<td class="field-state_label">open</td>', html=True)
        self.assertContains(r, '<td class="field-state_label">draft</td>', html=True)
        self.assertContains(r, "Preview")
        self.assertContains(r, "/export/")
        r = self.client.get(f"{ADMIN}?status__exact=draft")
        self.assertContains(r, "The draft")
        self.assertNotContains(r, "The open one")

    def test_publishing_from_the_list_and_from_the_campaigns_page(self):
        first, second = draft(), draft()
        r = self.action(first, "publish")
        self.assertTrue(any("is published" in m for m in self.messages(r)))
        r = self.action(second, "publish", on_page=True)
        self.assertRedirects(r, f"{ADMIN}{second.pk}/change/")
        self.assertTrue(any("is published" in m for m in self.messages(r)))
        self.assertEqual(set(Campaign.objects.values_list("status", flat=True)), {CampaignStatus.PUBLISHED})

    def test_a_refused_publication_shows_each_problem_as_an_error(self):
        campaign = bare_draft(public_key="")
        r = self.action(campaign, "publish")
        errors = [str(m) for m in r.context["messages"] if m.level_tag == "error"]
        self.assertEqual(len(errors), 3, errors)
        self.assertTrue(all(e.startswith(f"{campaign.title}: ") for e in errors))
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.DRAFT)

    def test_back_to_draft_is_refused_once_someone_signed(self):
        campaign = CampaignFactory()
        self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        r = self.action(campaign, "unpublish")
        self.assertIn(
            f"{campaign.title}: People have signed this campaign: it can no longer go back to draft.",
            self.messages(r),
        )
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.PUBLISHED)

    def test_marking_filed_asks_the_date_and_reference_then_files(self):
        campaign = closed()
        r = self.action(campaign, "mark_filed", on_page=True)
        self.assertContains(r, 'name="filed_on"')
        self.assertContains(r, 'name="CHANGE_FORM-action" value="mark_filed"')
        today = timezone.localdate()
        future = {"filing": "1", "filed_on": (today + DAY).isoformat(), "reference": "R-1"}
        r = self.action(campaign, "mark_filed", on_page=True, **future)
        self.assertContains(r, "The filing date cannot be in the future.")
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.PUBLISHED)
        good = {"filing": "1", "filed_on": today.isoformat(), "reference": "CNIL-42"}
        r = self.action(campaign, "mark_filed", on_page=True, **good)
        self.assertIn(f"{campaign.title} is marked as filed.", self.messages(r))
        campaign.refresh_from_db()
        self.assertEqual(
            (campaign.state, campaign.filed_at, campaign.filing_reference), ("filed", today, "CNIL-42")
        )

    def test_an_open_campaign_cannot_be_marked_filed(self):
        campaign = CampaignFactory()
        r = self.action(campaign, "mark_filed")
        self.assertIn(
            f"{campaign.title}: A campaign is filed once it has closed: this one is open.", self.messages(r)
        )
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.PUBLISHED)

    def test_moderators_cannot_publish(self):
        campaign = draft()
        self.login(self.bob)
        self.client.post(ADMIN, {"action": "publish", "_selected_action": campaign.pk, "index": 0})
        self.assertEqual(Campaign.objects.get().status, CampaignStatus.DRAFT)


class AdminFormTests(ComplaintsTestCase):
    """The campaign form refuses to save a public campaign that could not be signed."""

    def setUp(self):
        super().setUp()
        self.login(self.carol)

    def data(self, status="published", public_key=PUBLIC_KEY, grievances=("Réseaux de caméras",), **extra):
        now = timezone.localtime()
        data = {
            "title": "Plainte",
            "slug": "plainte",
            "status": status,
            "argument": "Pourquoi.",
            "authority": "CNIL",
            "filing_organisation": "LQDN",
            "opens_at_0": (now - DAY).strftime("%Y-%m-%d"),
            "opens_at_1": "00:00:00",
            "closes_at_0": (now + 30 * DAY).strftime("%Y-%m-%d"),
            "closes_at_1": "00:00:00",
            "location_required": "none",
            "retention_days": "90",
            "public_key": public_key,
            "mandate_text": "Je donne mandat.",
            "grievances-TOTAL_FORMS": str(len(grievances) + 1),
            "grievances-INITIAL_FORMS": "0",
            "mandates-TOTAL_FORMS": "0",
            "mandates-INITIAL_FORMS": "0",
        }
        for index, title in enumerate(grievances):
            data[f"grievances-{index}-title"] = title
            data[f"grievances-{index}-position"] = "0"
        data[f"grievances-{len(grievances)}-position"] = "0"  # the empty extra form, untouched
        return data | extra

    def test_a_complete_campaign_is_saved_published_with_its_date(self):
        r = self.client.post(f"{ADMIN}add/", self.data())
        self.assertEqual(r.status_code, 302, r.context and r.context["errors"])
        campaign = Campaign.objects.get()
        self.assertEqual((campaign.status, campaign.grievances.count()), ("published", 1))
        self.assertIsNotNone(campaign.published_at)
        self.assertEqual(campaign.current_mandate().text, "Je donne mandat.")

    def test_a_published_campaign_without_grievance_is_refused(self):
        r = self.client.post(f"{ADMIN}add/", self.data(grievances=()))
        self.assertContains(r, "A published campaign needs at least one grievance")
        self.assertFalse(Campaign.objects.exists())
        r = self.client.post(f"{ADMIN}add/", self.data(status="draft", grievances=(), public_key=""))
        self.assertEqual(r.status_code, 302)  # a draft may be written bit by bit
        self.assertEqual(Campaign.objects.get().status, "draft")

    def test_deleting_the_last_grievance_of_a_published_campaign_is_refused(self):
        campaign = CampaignFactory(slug="plainte", grievances=["Seule"])
        grievance = campaign.grievances.get()
        data = self.data(grievances=())
        data |= {
            "grievances-TOTAL_FORMS": "1",
            "grievances-INITIAL_FORMS": "1",
            "grievances-0-id": grievance.pk,
            "grievances-0-campaign": campaign.pk,
            "grievances-0-title": "Seule",
            "grievances-0-position": "0",
            "grievances-0-DELETE": "on",
            "mandates-TOTAL_FORMS": "1",
            "mandates-INITIAL_FORMS": "1",
            "mandates-0-id": campaign.current_mandate().pk,
            "mandates-0-campaign": campaign.pk,
        }
        r = self.client.post(f"{ADMIN}{campaign.pk}/change/", data)
        self.assertContains(r, "A published campaign needs at least one grievance")
        self.assertTrue(Grievance.objects.filter(pk=grievance.pk).exists())

    def test_the_public_key_is_checked_and_explained(self):
        r = self.client.post(f"{ADMIN}add/", self.data(public_key="abc"))
        self.assertContains(r, "The public key is not a campaign key")
        r = self.client.post(f"{ADMIN}add/", self.data(public_key=""))
        self.assertContains(r, "The campaign has no public key")
        self.assertContains(r, "technopolice complaint_keys")
        r = self.client.post(f"{ADMIN}add/", self.data(status="draft", public_key="abc"))
        self.assertContains(r, "The public key is not a campaign key")  # a draft too, if given
        self.assertFalse(Campaign.objects.exists())

    def test_a_past_campaign_cannot_be_saved_published(self):
        past = timezone.localtime() - 10 * DAY
        data = self.data(closes_at_0=past.strftime("%Y-%m-%d"), opens_at_0=(past - DAY).strftime("%Y-%m-%d"))
        self.assertContains(self.client.post(f"{ADMIN}add/", data), "closing date is already past")

    def test_the_key_cannot_change_once_someone_signed(self):
        campaign = CampaignFactory()
        self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        form = self.client.get(f"{ADMIN}{campaign.pk}/change/").context["adminform"].form
        other_key = "A" * 43 + "="
        data = {**self.data(), **{k: v for k, v in form.initial.items() if isinstance(v, str)}}
        data |= {
            "slug": campaign.slug,
            "title": campaign.title,
            "argument": campaign.argument,
            "filing_organisation": campaign.filing_organisation,
            "public_key": other_key,
            "grievances-TOTAL_FORMS": "0",
            "mandates-TOTAL_FORMS": "0",
        }
        r = self.client.post(f"{ADMIN}{campaign.pk}/change/", data)
        self.assertContains(r, "People have signed: their identities are sealed to the current key")
        self.assertEqual(Campaign.objects.get().public_key, PUBLIC_KEY)

    def test_a_filed_campaign_keeps_its_status(self):
        campaign = closed(status=CampaignStatus.FILED, filed_at=timezone.localdate())
        form = self.client.get(f"{ADMIN}{campaign.pk}/change/").context["adminform"].form
        self.assertNotIn("status", form.fields)
        self.assertEqual(
            [
                value
                for value, _label in self.client.get(f"{ADMIN}add/")
                .context["adminform"]
                .form.fields["status"]
                .choices
            ],
            ["draft", "published"],
        )


class SigningKeptTests(ComplaintsTestCase):
    def test_actions_signing_keeps_drafts_but_the_view_decides(self):
        campaign = draft()
        self.assertIsNotNone(actions.signing(campaign.slug))  # kept: the view hides it
        self.assertEqual(self.client.get(f"/en/plaintes/{campaign.slug}/").status_code, 404)
