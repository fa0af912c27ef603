"""The places and collectives the events' tests share.

Two departments (Loire with Saint-Étienne, Alpes-Maritimes with Nice); collective A (organised by
Alice), collective B (organised by Mallory), a pending collective (organised by Alice too); Mallory
is a plain member of A.
"""

from technopolice.collectives.models import CollectiveStatus
from technopolice.collectives.tests.factories import CollectiveFactory, add_member, add_organiser
from technopolice.registry.tests.factories import (
    CommuneFactory,
    DepartmentFactory,
    DossierFactory,
    RegionFactory,
)


def build_world(t) -> None:
    t.ara = RegionFactory(code="84", name="Auvergne-Rhône-Alpes", slug="auvergne-rhone-alpes")
    t.paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur", slug="paca")
    t.loire = DepartmentFactory(code="42", name="Loire", slug="loire", region=t.ara)
    t.alpes = DepartmentFactory(code="06", name="Alpes-Maritimes", slug="alpes-maritimes", region=t.paca)
    t.saint_etienne = CommuneFactory(department=t.loire)
    t.nice = CommuneFactory(insee="06088", name="Nice", slug="nice", department=t.alpes)
    t.dossier = DossierFactory(title="Micros dans les rues de Saint-Étienne", slug="micros")
    t.a = CollectiveFactory(name="Technopolice Saint-Étienne", slug="tp-saint-etienne")
    t.b = CollectiveFactory(name="Technopolice Nice", slug="tp-nice")
    t.pending = CollectiveFactory(
        name="Collectif en attente", slug="en-attente", status=CollectiveStatus.PENDING
    )
    add_organiser(t.a, t.alice)
    add_organiser(t.pending, t.alice)
    add_organiser(t.b, t.mallory)
    add_member(t.a, t.mallory)
