from django.core.exceptions import ValidationError

from technopolice.complaints.models import Campaign, MandateVersion, Signatory

from .base import ComplaintsTestCase
from .factories import CampaignFactory, sign_data


class AdminTests(ComplaintsTestCase):
    def campaign_form(self, campaign, mandate_text):
        data = {
            "title": campaign.title,
            "slug": campaign.slug,
            "argument": campaign.argument,
            "authority": "CNIL",
            "filing_organisation": campaign.filing_organisation,
            "opens_at_0": campaign.opens_at.strftime("%Y-%m-%d"),
            "opens_at_1": "00:00:00",
            "closes_at_0": campaign.closes_at.strftime("%Y-%m-%d"),
            "closes_at_1": "00:00:00",
            "location_required": "none",
            "retention_days": "90",
            "status": campaign.status,
            "public_key": campaign.public_key,
            "mandate_text": mandate_text,
            "grievances-TOTAL_FORMS": "0",
            "grievances-INITIAL_FORMS": "0",
            "mandates-TOTAL_FORMS": "1",
            "mandates-INITIAL_FORMS": "1",
        }
        data["mandates-0-id"] = campaign.current_mandate().pk
        data["mandates-0-campaign"] = campaign.pk
        return data

    def test_editing_the_mandate_creates_a_version_and_keeps_what_signatories_accepted(self):
        campaign = CampaignFactory(mandate="Version une.")
        self.client.post(f"/en/plaintes/{campaign.slug}/", sign_data(campaign))
        self.login(self.carol)
        r = self.client.post(
            f"/admin/complaints/campaign/{campaign.pk}/change/", self.campaign_form(campaign, "Version deux.")
        )
        self.assertEqual(r.status_code, 302, getattr(r, "context", None) and r.context["errors"])
        self.assertEqual(
            list(campaign.mandates.values_list("number", "text")), [(1, "Version une."), (2, "Version deux.")]
        )
        signatory = Signatory.objects.get()
        self.assertEqual(signatory.mandate.text, "Version une.")
        self.assertEqual(signatory.mandate_hash, campaign.mandates.get(number=1).content_hash)

    def test_saving_without_a_change_makes_no_new_version(self):
        campaign = CampaignFactory(mandate="Version une.")
        self.login(self.carol)
        self.client.post(
            f"/admin/complaints/campaign/{campaign.pk}/change/", self.campaign_form(campaign, "Version une.")
        )
        self.assertEqual(campaign.mandates.count(), 1)

    def test_a_mandate_version_refuses_to_be_edited(self):
        version = CampaignFactory().current_mandate()
        version.text = "Autre chose"
        with self.assertRaises(ValidationError):
            version.save()
        self.assertNotEqual(MandateVersion.objects.get().text, "Autre chose")

    def test_outsiders_and_moderators_cannot_open_the_campaign_admin(self):
        campaign = CampaignFactory()
        for user in [self.bob, self.mallory]:
            self.login(user)
            r = self.client.get(f"/admin/complaints/campaign/{campaign.pk}/change/")
            self.assertEqual(r.status_code, 302)
        self.assertEqual(Campaign.objects.count(), 1)

    def test_signatories_are_not_browsable_in_the_admin(self):
        self.login(self.carol)
        self.assertEqual(self.client.get("/admin/complaints/signatory/").status_code, 404)
