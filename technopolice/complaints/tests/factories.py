"""Factories for complaints: an open campaign with a mandate and two grievances."""

import datetime

import factory
from django.utils import timezone

from technopolice.complaints.models import Campaign, CampaignStatus, Grievance, MandateVersion
from technopolice.lib import sealing

# The organiser's key pair for the tests' campaigns: the private half is what an organiser keeps
# offline, handed to the export only.
PRIVATE_KEY, PUBLIC_KEY = sealing.generate_keypair()


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
    status = CampaignStatus.PUBLISHED
    public_key = PUBLIC_KEY

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


def opened(signatory, private_key: str = PRIVATE_KEY) -> dict:
    """What the organiser reads of a signatory with the campaign's private key."""
    key = sealing.read_private_key(private_key)
    fields = ["first_name", "last_name", "address", "email_filing"]
    return {name: sealing.unseal(key, getattr(signatory, f"{name}_sealed")) for name in fields}
