"""Factories for the registry: small, explicit records for tests."""

import factory

from technopolice.lib.text import fold
from technopolice.registry.models import Commune, Department, Organisation, Region, Technology


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
