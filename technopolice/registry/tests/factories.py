"""Factories for the registry: small, explicit records for tests."""

import datetime as dt

import factory
from django.utils import timezone

from technopolice.lib.text import fold
from technopolice.registry.models import (
    Commune,
    Department,
    Dossier,
    Event,
    Organisation,
    OrganisationLink,
    Region,
    Source,
    Technology,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "84"
    name = "Auvergne-Rhône-Alpes"
    slug = factory.LazyAttribute(lambda o: f"region-{o.code}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "42"
    name = "Loire"
    slug = factory.LazyAttribute(lambda o: f"department-{o.code}")
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee"]

    insee = "42218"
    name = "Saint-Étienne"
    slug = factory.LazyAttribute(lambda o: f"{fold(o.name).replace(' ', '-')}-{o.insee}")
    department = factory.SubFactory(DepartmentFactory)
    population = 172565
    area_km2 = 79.97
    latitude = 45.4339
    longitude = 4.3897
    search_name = factory.LazyAttribute(lambda o: fold(o.name))


class TechnologyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technology
        django_get_or_create = ["slug"]

    slug = "audio-sensors"
    name_fr = "Capteurs sonores"
    name_en = "Audio sensors"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = "Serenicity"
    slug = factory.LazyAttribute(lambda o: fold(o.name).replace(" ", "-"))
    search_text = factory.LazyAttribute(lambda o: fold(o.name))


def _set_related(name: str):
    """A post-generation hook: DossierFactory(communes=[...]) sets that many-to-many relation."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, name).set(extracted)

    return factory.PostGeneration(hook)


class DossierFactory(factory.django.DjangoModelFactory):
    """A published dossier; pass communes=[...], technologies=[...] etc. to place and tag it."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dossier {n}")
    slug = factory.Sequence(lambda n: f"dossier-{n}")
    status = "deployed"
    start_date = dt.date(2020, 1, 1)
    last_checked = factory.LazyFunction(timezone.localdate)
    communes = _set_related("communes")
    departments = _set_related("departments")
    regions = _set_related("regions")
    technologies = _set_related("technologies")
    vendors = _set_related("vendors")
    # Declared last: hooks run in order, so the folded text sees every relation.
    index = factory.PostGeneration(lambda obj, create, extracted, **kwargs: create and obj.reindex())


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    dossier = factory.SubFactory(DossierFactory)
    url = "https://www.laquadrature.net/2019/03/saint-etienne/"
    title = "Saint-Étienne : des micros dans la rue"
    publisher = "La Quadrature du Net"
    date = dt.date(2019, 3, 19)
    kind = "press"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    dossier = factory.SubFactory(DossierFactory)
    date = dt.date(2019, 10, 29)
    kind = "cnil_opinion"
    title = "La CNIL met en garde la ville"
    verdict = "victory"


class OrganisationLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationLink

    subject = factory.SubFactory(OrganisationFactory, name="Ville de Nice")
    relation = "client_of"
    object = factory.SubFactory(OrganisationFactory)
    source_url = "https://example.org/contract.pdf"
    dataset = "technopolice-graph"


def dossier_payload(**overrides) -> dict:
    """A valid snapshot for a new dossier in Saint-Étienne, with one source."""
    CommuneFactory()
    TechnologyFactory()
    data = {
        "title": "Micros de surveillance à Saint-Étienne",
        "status": "abandoned",
        "description": "La ville voulait installer des **capteurs sonores**.",
        "technologies": ["audio-sensors"],
        "communes": ["42218"],
        "departments": [],
        "regions": [],
        "is_national": False,
        "operator": None,
        "vendors": [],
        "start_date": "2019-03-01",
        "end_date": "2019-10-01",
        "budget_eur": "24000.00",
        "funding": "",
        "camera_count": None,
        "legal_basis": "",
        "disputed": False,
        "dispute_reason": "",
        "is_example": False,
        "sources": [
            {
                "url": "https://www.laquadrature.net/2019/03/saint-etienne/",
                "title": "Saint-Étienne : des micros dans la rue",
                "publisher": "La Quadrature du Net",
                "date": "2019-03-19",
                "kind": "press",
            }
        ],
        "events": [
            {
                "date": "2019-10-29",
                "kind": "cnil_opinion",
                "title": "La CNIL met en garde la ville",
                "description": "",
                "verdict": "victory",
                "source_url": "",
            }
        ],
    }
    data.update(overrides)
    return data
