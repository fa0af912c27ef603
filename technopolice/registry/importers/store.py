"""Bulk writes of imported records: insert or update by a natural key, in batches.

Used inside one transaction by the import commands, so a failure leaves nothing half-written.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat
from tqdm import tqdm

from technopolice.lib.text import fold
from technopolice.registry.models import (
    Commune,
    Department,
    Organisation,
    OrganisationLink,
    Region,
    Technology,
)

from .attributions import GRAPH_DATASET
from .communes import ARM, CommuneRecord, Gazetteer
from .graph import Graph, Node
from .matching import CommuneIndex, Entry

BATCH_SIZE = 1000
COMMUNE_FIELDS = [
    "name",
    "slug",
    "kind",
    "parent",
    "department",
    "postal_codes",
    "population",
    "area_km2",
    "latitude",
    "longitude",
    "search_name",
]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def add(self, other: "Counts") -> "Counts":
        return Counts(
            self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged
        )


def upsert(model: type[models.Model], key: str, objects: list, fields: list[str], progress=None) -> Counts:
    """Insert new rows and update changed ones (matched on the unique `key`), in batches.

    Unchanged rows are not written at all, so re-importing the same file is quick.
    """
    columns = [model._meta.get_field(name).attname for name in fields]
    stored = {row[0]: row[1:] for row in model.objects.values_list(key, *columns)}
    changed = [o for o in objects if stored.get(getattr(o, key)) != tuple(getattr(o, c) for c in columns)]
    if progress is not None:
        progress.update(len(objects) - len(changed))
    for start in range(0, len(changed), BATCH_SIZE):
        batch = changed[start : start + BATCH_SIZE]
        model.objects.bulk_create(batch, update_conflicts=True, unique_fields=[key], update_fields=fields)
        if progress is not None:
            progress.update(len(batch))
    created = sum(1 for obj in changed if getattr(obj, key) not in stored)
    return Counts(created, len(changed) - created, len(objects) - len(changed))


def ids(model: type[models.Model], key: str) -> dict[str, int]:
    return dict(model.objects.values_list(key, "pk"))


def save_gazetteer(data: Gazetteer, quiet: bool = False) -> dict[str, Counts]:
    """Write regions, departments, then communes, then arrondissements (they need their parent)."""
    regions = [Region(code=p.code, name=p.name, slug=p.slug) for p in data.regions]
    counts = {"regions": upsert(Region, "code", regions, ["name", "slug"])}
    region_ids = ids(Region, "code")
    departments = [
        Department(code=p.code, name=p.name, slug=p.slug, region_id=region_ids[p.region])
        for p in data.departments
    ]
    counts["departments"] = upsert(Department, "code", departments, ["name", "slug", "region"])
    with tqdm(total=len(data.communes), desc="communes", unit="", disable=True if quiet else None) as bar:
        counts["communes"] = _save_communes(data.communes, ids(Department, "code"), bar)
    return counts


def _save_communes(records: list[CommuneRecord], departments: dict[str, int], bar) -> Counts:
    _free_changed_slugs(records)
    towns = [_commune(r, departments, {}) for r in records if r.kind != ARM]
    counts = upsert(Commune, "insee", towns, COMMUNE_FIELDS, bar)
    parents = ids(Commune, "insee")
    arrondissements = [_commune(r, departments, parents) for r in records if r.kind == ARM]
    return counts.add(upsert(Commune, "insee", arrondissements, COMMUNE_FIELDS, bar))


def _free_changed_slugs(records: list[CommuneRecord]) -> None:
    """Give a placeholder slug to communes whose slug changes (a new homonym appeared).

    Otherwise a commune taking over a slug would collide, in the same batch, with the
    commune that still holds it.
    """
    stored = dict(Commune.objects.values_list("insee", "slug"))
    changed = [r.insee for r in records if stored.get(r.insee, r.slug) != r.slug]
    for start in range(0, len(changed), BATCH_SIZE):
        codes = changed[start : start + BATCH_SIZE]
        Commune.objects.filter(insee__in=codes).update(slug=Concat(Value("~"), "insee"))


def _commune(record: CommuneRecord, departments: dict[str, int], parents: dict[str, int]) -> Commune:
    return Commune(
        insee=record.insee,
        name=record.name,
        slug=record.slug,
        kind=record.kind,
        parent_id=parents.get(record.parent),
        department_id=departments[record.department],
        postal_codes=", ".join(record.postal_codes),
        population=record.population,
        area_km2=record.area_km2,
        latitude=record.latitude,
        longitude=record.longitude,
        search_name=fold(record.name),
    )


def technology_aliases() -> dict[str, str]:
    """Folded names and aliases of every technology → its slug, to recognise graph nodes."""
    aliases = {}
    for tech in Technology.objects.all():
        for name in [tech.slug, tech.name_fr, tech.name_en, *tech.aliases.splitlines()]:
            if fold(name):
                aliases.setdefault(fold(name), tech.slug)
    return aliases


def commune_index() -> CommuneIndex:
    rows = Commune.objects.values_list("insee", "name", "kind", "department__code")
    return CommuneIndex([Entry(*row) for row in rows])


def save_graph(graph: Graph) -> dict[str, Counts]:
    """Organisations (by slug), their links and technologies; re-running updates, never duplicates."""
    communes = ids(Commune, "insee")
    organisations, counts = {}, Counts()
    for node in graph.organisations():
        organisations[node.slug], created = _save_organisation(node, communes)
        counts = counts.add(Counts(int(created), int(not created)))
    result = {"organisations": counts, "links": _save_links(graph, organisations)}
    result["technologies"] = _save_features(graph, organisations)
    return result


def _save_organisation(node: Node, communes: dict[str, int]) -> tuple[Organisation, bool]:
    values = {"name": node.name, "kind": node.kind, "dataset": GRAPH_DATASET, "search_text": fold(node.name)}
    if node.commune is not None:  # an unresolved name keeps a commune an administrator set by hand
        values["commune_id"] = communes[node.commune.insee]
    return Organisation.objects.update_or_create(slug=node.slug, defaults=values)


def _save_links(graph: Graph, organisations: dict[str, Organisation]) -> Counts:
    counts = Counts()
    for link in graph.links:
        _link, created = OrganisationLink.objects.update_or_create(
            subject=organisations[link.subject],
            relation=link.relation,
            object=organisations[link.object],
            defaults={
                "source_url": link.source_url[:1000],
                "other_sources": "\n".join(link.other_sources),
                "dataset": GRAPH_DATASET,
            },
        )
        counts = counts.add(Counts(int(created), int(not created)))
    return counts


def _save_features(graph: Graph, organisations: dict[str, Organisation]) -> Counts:
    technologies = ids(Technology, "slug")
    through = Organisation.technologies.through
    pairs = {(organisations[org].pk, technologies[tech]) for org, tech in graph.features}
    existing = set(through.objects.values_list("organisation_id", "technology_id"))
    new = [through(organisation_id=o, technology_id=t) for o, t in sorted(pairs - existing)]
    through.objects.bulk_create(new)
    return Counts(len(new), len(pairs) - len(new))
