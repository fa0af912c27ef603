"""What a dossier shows in a list: its places, technologies and vendors as plain links.

Lists (the dossier list and its twins, place, technology and organisation pages, the home
page) show 6 to 50 dossiers with five relations each. Prefetching those relations built a
Django model for every commune, technology and vendor of every row, which cost three times
the SQL itself (bench/registry_pages.py: 33 ms for a page of 50 on SQLite, 10 ms with plain
values). Here each relation is one query of the few values a row needs, and each dossier gets
a ``links`` attribute; ``attach_links`` takes the dossiers of several sections at once, so a
place page with four sections still runs five queries.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse
from django.utils.translation import get_language

from .models import Dossier


@dataclass(frozen=True, slots=True)
class Link:
    """A record a dossier points to: its name in the current language, its page, its public key."""

    name: str
    url: str
    key: str

    def __str__(self) -> str:
        return self.name


@dataclass(slots=True)
class DossierLinks:
    communes: list[Link] = field(default_factory=list)
    departments: list[Link] = field(default_factory=list)
    regions: list[Link] = field(default_factory=list)
    technologies: list[Link] = field(default_factory=list)
    vendors: list[Link] = field(default_factory=list)

    @property
    def has_places(self) -> bool:
        return bool(self.communes or self.departments or self.regions)


@dataclass(frozen=True)
class Relation:
    """How to read one many-to-many relation of Dossier as links."""

    field: str  # the Dossier field, also the DossierLinks attribute
    target: str  # the through table's column towards the linked record
    key: str  # the public key exports carry (INSEE code, department code, slug)
    url_name: str
    order: tuple[str, ...] = ("name",)
    localised: bool = False  # names in name_fr / name_en, as Technology


RELATIONS = (
    Relation("communes", "commune", "insee", "registry:commune"),
    Relation("departments", "department", "code", "registry:department", order=("code",)),
    Relation("regions", "region", "code", "registry:region"),
    Relation("technologies", "technology", "slug", "registry:technology", ("position", "slug"), localised=True),
    Relation("vendors", "organisation", "slug", "registry:organisation"),
)


def url_maker(url_name: str):
    """A function slug -> URL that reverses once, not once per link (the language prefix included)."""
    head, _placeholder, tail = reverse(url_name, args=["slug-placeholder"]).partition("slug-placeholder")
    return lambda slug: f"{head}{quote(slug)}{tail}"


def _name_columns(relation: Relation) -> list[str]:
    if relation.localised:
        return [f"{relation.target}__name_fr", f"{relation.target}__name_en"]
    return [f"{relation.target}__name"]


def _pick_name(relation: Relation, names: tuple, english: bool) -> str:
    if relation.localised:
        french, english_name = names
        return (english_name if english else french) or french
    return names[0]


def links_of(relation: Relation, ids: list[int]) -> dict[int, list[Link]]:
    """{dossier id: [Link, ...]} for one relation, in the order pages show them."""
    through = Dossier._meta.get_field(relation.field).remote_field.through
    columns = [f"{relation.target}__slug", f"{relation.target}__{relation.key}", *_name_columns(relation)]
    rows = (
        through.objects.filter(dossier_id__in=ids)
        .order_by(*(f"{relation.target}__{column}" for column in relation.order))
        .values_list("dossier_id", *columns)
    )
    url_for = url_maker(relation.url_name)
    english = (get_language() or "fr").startswith("en")
    found = defaultdict(list)
    for dossier_id, slug, key, *names in rows:
        found[dossier_id].append(Link(_pick_name(relation, names, english), url_for(slug), str(key)))
    return found


def attach_links(dossiers: Iterable[Dossier]) -> list[Dossier]:
    """Give each dossier a ``links`` attribute (DossierLinks); returns them as a list."""
    dossiers = list(dossiers)
    ids = list({dossier.pk for dossier in dossiers})
    if not ids:
        return dossiers
    by_relation = {relation.field: links_of(relation, ids) for relation in RELATIONS}
    for dossier in dossiers:
        dossier.links = DossierLinks(
            **{name: found.get(dossier.pk, []) for name, found in by_relation.items()}
        )
    return dossiers
