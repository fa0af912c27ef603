"""Factories for complaints: an open campaign with a mandate and two grievances."""

import datetime

import factory
from django.utils import timezone

from technopolice.complaints.models import Campaign, Grievance, MandateVersion


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Plainte collective {n}")
    slug = factory.Sequence(lambda n: f"plainte-{n}")
    argument = "La **vidéosurveillance algorithmique** est illégale."
    filing_organisation = "La Quadrature du Net"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    retention_days = 90

    @factory.post_generation
    def mandate(self, create, extracted, **kwargs):
        MandateVersion.objects.create(campaign=self, number=1, text=extracted or "Je donne mandat.")

    @factory.post_generation
    def grievances(self, create, extracted, **kwargs):
        for position, title in enumerate(
            extracted or ["Réseaux de vidéosurveillance", "Reconnaissance faciale"]
        ):
            Grievance.objects.create(campaign=self, title=title, position=position)


def sign_data(campaign: Campaign, **overrides) -> dict:
    data = {
        "first_name": "Zoé",
        "last_name": "Quenouille",
        "email": "zoe.quenouille@example.net",
        "grievances": [g.pk for g in campaign.grievances.all()[:1]],
        "consent_mandate": "on",
        "consent_data": "on",
        "mandate_hash": campaign.current_mandate().content_hash,
        "website": "",
    }
    data.update(overrides)
    return data
