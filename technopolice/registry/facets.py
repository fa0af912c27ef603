"""Facets: how many of the listed dossiers fall under each status, technology and region.

The counts come from one index of the whole registry, ``{dossier id: (status, technology ids,
region ids)}``, built once per registry state and kept: counting the dossiers a filter
matches is then a loop over their ids, whatever the filter. Counting in SQL ran the filter
again for each facet; for a text search that meant three more scans of every description.

A dossier counts under a region whichever way it covers it (the region itself, one of its
departments or one of its communes), once.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

from django.http import HttpRequest

from . import reference
from .filters import query_url
from .models import Dossier, DossierStatus, Region, Technology
from .state import KeptPerState


@dataclass
class FacetValue:
    label: str
    count: int
    url: str
    selected: bool


class Facts(NamedTuple):
    """What the facets need to know of one dossier (a tuple: counted with C-level iterators)."""

    status: str
    technologies: tuple[int, ...]
    regions: tuple[int, ...]


def _region_pairs() -> Iterable[tuple[int, int]]:
    """(dossier, region) for the three ways a dossier covers a region, in one UNION ALL."""
    paths = [
        Dossier.link_table("regions").objects.values_list("dossier_id", "region_id"),
        Dossier.link_table("departments").objects.values_list("dossier_id", "department__region_id"),
        Dossier.link_table("communes").objects.values_list("dossier_id", "commune__department__region_id"),
    ]
    first, *others = [path.order_by() for path in paths]
    return first.union(*others, all=True)


def build_index() -> dict[int, Facts]:
    """Every dossier's facts, in three queries whatever the size of the registry."""
    regions, technologies = defaultdict(set), defaultdict(list)
    for dossier, region in _region_pairs():
        regions[dossier].add(region)
    for dossier, technology in Dossier.link_table("technologies").objects.values_list(
        "dossier_id", "technology_id"
    ):
        technologies[dossier].append(technology)
    return {
        pk: Facts(status, tuple(technologies.get(pk, ())), tuple(regions.get(pk, ())))
        for pk, status in Dossier.objects.order_by().values_list("pk", "status")
    }


# Looked up at each build (not bound here), so that tests can watch the builds.
_kept = KeptPerState(lambda: build_index())
_totals: dict = {}  # the counts of every dossier, for the index they were counted from


def forget() -> None:
    _kept.forget()
    _totals.clear()


def facet_index() -> dict[int, Facts]:
    """The index of the registry as it is now (see the module's docstring): each process
    builds it once per registry state."""
    return _kept.get()


def counts(ids: Iterable[int] | None = None) -> dict[str, Counter]:
    """Dossiers per status, technology id and region id, among ``ids`` (None: all of them).

    Counted with map, itemgetter and chain, which loop in C, not in Python bytecode.
    """
    index = facet_index()
    if ids is None:  # the home page and the unfiltered list: counted once per index
        if _totals.get("of") is not index:
            _totals.update(counts=_count(index.values()), of=index)
        return _totals["counts"]
    return _count(filter(None, map(index.get, ids)))


def _count(facts: Iterable[Facts]) -> dict[str, Counter]:
    facts = list(facts)
    return {
        "status": Counter(map(itemgetter(0), facts)),
        "technology": Counter(chain.from_iterable(map(itemgetter(1), facts))),
        "region": Counter(chain.from_iterable(map(itemgetter(2), facts))),
    }


def with_objects(model, counts_by_pk: dict[int, int]) -> dict:
    """{object: count} from {pk: count}, for a reference list (technologies, regions)."""
    return {obj: counts_by_pk[obj.pk] for obj in reference.by_slug(model).values() if obj.pk in counts_by_pk}


def _facet(request, name: str, counts_by_key: dict, labels: dict) -> list[FacetValue]:
    selected = request.GET.get(name, "")
    values = []
    for key, count in sorted(
        counts_by_key.items(), key=lambda item: (-item[1], str(labels.get(item[0], "")))
    ):
        is_selected = key == selected
        url = query_url(request, **{name: None if is_selected else key})
        values.append(FacetValue(str(labels.get(key, key)), count, url, is_selected))
    return values


def _by_slug(counts_by_object: dict) -> tuple[dict, dict]:
    return {obj.slug: n for obj, n in counts_by_object.items()}, {
        obj.slug: obj.name for obj in counts_by_object
    }


def facets(request: HttpRequest, ids: Iterable[int] | None) -> dict[str, list[FacetValue]]:
    """The three facets of a list showing the dossiers ``ids`` (None: every dossier)."""
    found = counts(ids)
    return {
        "status": _facet(request, "status", found["status"], dict(DossierStatus.choices)),
        "technology": _facet(request, "technology", *_by_slug(with_objects(Technology, found["technology"]))),
        "region": _facet(request, "region", *_by_slug(with_objects(Region, found["region"]))),
    }
