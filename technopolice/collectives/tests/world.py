"""Places with real gazetteer centres around Nice, and collectives in them, for the directory's tests.

Distances from Nice's centre (haversine): Èze 8.2 km, Cagnes-sur-Mer 10.4 km, Menton 20.8 km,
Cannes 26.5 km, Marseille 159.5 km, Saint-Étienne 298 km.
"""

from technopolice.collectives.models import CollectiveStatus
from technopolice.registry.tests.factories import CommuneFactory, DepartmentFactory, RegionFactory

from .factories import CollectiveFactory


def build_places(test) -> None:
    test.paca = RegionFactory(code="93", name="Provence-Alpes-Côte d'Azur", slug="provence-alpes-cote-d-azur")
    test.alpes_maritimes = DepartmentFactory(
        code="06", name="Alpes-Maritimes", slug="alpes-maritimes", region=test.paca
    )
    test.bouches = DepartmentFactory(
        code="13", name="Bouches-du-Rhône", slug="bouches-du-rhone", region=test.paca
    )
    communes = {
        "nice": ("06088", "Nice", 43.7034, 7.2663, test.alpes_maritimes),
        "eze": ("06059", "Èze", 43.7283, 7.3617, test.alpes_maritimes),
        "cagnes": ("06027", "Cagnes-sur-Mer", 43.6644, 7.1489, test.alpes_maritimes),
        "menton": ("06083", "Menton", 43.7765, 7.5048, test.alpes_maritimes),
        "cannes": ("06029", "Cannes", 43.5513, 7.0128, test.alpes_maritimes),
        "marseille": ("13055", "Marseille", 43.2965, 5.3698, test.bouches),
    }
    for attribute, (insee, name, lat, lon, department) in communes.items():
        commune = CommuneFactory(insee=insee, name=name, latitude=lat, longitude=lon, department=department)
        setattr(test, attribute, commune)
    test.saint_etienne = CommuneFactory()  # 42218, in the Loire (Auvergne-Rhône-Alpes)
    test.nowhere = CommuneFactory(insee="06999", name="Sans-Centre", latitude=None, longitude=None,
                                  department=test.alpes_maritimes)  # fmt: skip


def build_collectives(test) -> None:
    """Listed collectives around Nice and elsewhere, one waiting for a moderator."""
    build_places(test)
    test.technopolice_nice = CollectiveFactory(
        name="Technopolice Nice", slug="technopolice-nice", communes=[test.nice]
    )
    test.cagnois = CollectiveFactory(name="Collectif cagnois", slug="cagnois", communes=[test.cagnes])
    test.cannois = CollectiveFactory(name="Vigilance Cannes", slug="vigilance-cannes", communes=[test.cannes])
    test.department_wide = CollectiveFactory(
        name="Alpes-Maritimes libres", slug="am-libres", departments=[test.alpes_maritimes]
    )
    test.marseille_collective = CollectiveFactory(
        name="Technopolice Marseille", slug="technopolice-marseille", communes=[test.marseille]
    )
    test.sainte = CollectiveFactory(
        name="Sainté Métropole Vigilante", slug="sainte", communes=[test.saint_etienne], is_dormant=True
    )
    test.pending = CollectiveFactory(
        name="Nice en attente", slug="nice-en-attente", communes=[test.nice], status=CollectiveStatus.PENDING
    )
