"""A small registry shared by the browsing tests: three regions, places at every level, seven dossiers.

- Saint-Étienne (Loire, Auvergne-Rhône-Alpes): sound sensors sold by Serenicity, abandoned in 2019.
- Nice (Alpes-Maritimes, Provence-Alpes-Côte d'Azur): algorithmic video surveillance run by the town,
  and a second dossier there with no start date.
- Paris 12e, an arrondissement of Paris: drones.
- The Loire department as a whole: drones. The region Auvergne-Rhône-Alpes as a whole: AVS.
- The TAJ: a national police file.
"""

import datetime as dt

from .factories import (
    CommuneFactory,
    DepartmentFactory,
    DossierFactory,
    OrganisationFactory,
    RegionFactory,
    TechnologyFactory,
)


def build_world(test_class) -> None:
    """Set the places, technologies, organisations and dossiers as attributes of the test class."""
    t = test_class
    t.ara = RegionFactory(code="84", name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes")
    t.idf = RegionFactory(code="11", name="Île-de-France", slug="ile-de-france")
    t.paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur", slug="provence-alpes-cote-d-azur")
    t.loire = DepartmentFactory(code="42", name="Loire", slug="loire", region=t.ara)
    t.paris_dep = DepartmentFactory(code="75", name="Paris", slug="paris-75", region=t.idf)
    t.alpes = DepartmentFactory(code="06", name="Alpes-Maritimes", slug="alpes-maritimes", region=t.paca)
    t.saint_etienne = CommuneFactory(department=t.loire)
    t.paris = CommuneFactory(insee="75056", name="Paris", slug="paris", department=t.paris_dep, population=2113705)
    t.paris12 = CommuneFactory(
        insee="75112", name="Paris 12e Arrondissement", slug="paris-12", department=t.paris_dep, parent=t.paris,
        kind="ARM",
    )
    t.nice = CommuneFactory(insee="06088", name="Nice", slug="nice", department=t.alpes, population=342669)
    t.audio = TechnologyFactory()
    t.avs = TechnologyFactory(slug="avs", name_fr="Vidéosurveillance algorithmique", name_en="Algorithmic video surveillance")
    t.drones = TechnologyFactory(slug="drones", name_fr="Drones", name_en="Drones")
    t.serenicity = OrganisationFactory(kind="vendor")
    t.town_of_nice = OrganisationFactory(name="Ville de Nice", kind="public_body", commune=t.nice)
    t.micros = DossierFactory(
        title="Micros dans les rues de Saint-Étienne", slug="micros", status="abandoned",
        start_date=dt.date(2019, 3, 1), end_date=dt.date(2019, 10, 1), communes=[t.saint_etienne],
        technologies=[t.audio], vendors=[t.serenicity],
    )
    t.safe_city = DossierFactory(
        title="Safe City à Nice", slug="safe-city", start_date=dt.date(2021, 6, 1), communes=[t.nice],
        technologies=[t.avs], operator=t.town_of_nice,
        description="Un dispositif de vidéosurveillance algorithmique sur la promenade.",
    )
    t.no_start = DossierFactory(title="Caméras du port", slug="port", start_date=None, communes=[t.nice])
    t.paris_drones = DossierFactory(
        title="Drones au-dessus du 12e", slug="drones-12", status="experimentation",
        start_date=dt.date(2023, 5, 1), communes=[t.paris12], technologies=[t.drones],
    )
    t.loire_drones = DossierFactory(
        title="Drones de la gendarmerie", slug="drones-loire", start_date=dt.date(2022, 1, 1),
        departments=[t.loire], technologies=[t.drones],
    )
    t.region_avs = DossierFactory(
        title="AVS dans les lycées", slug="avs-lycees", start_date=dt.date(2024, 2, 1), regions=[t.ara],
        technologies=[t.avs],
    )
    t.taj = DossierFactory(title="TAJ", slug="taj", start_date=dt.date(2012, 1, 1), is_national=True)
