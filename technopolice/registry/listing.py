"""What a dossier shows in a list: its places, technologies and vendors as plain links.

Lists (the dossier list and its twins, place, technology and organisation pages, the home
page) show 6 to 50 dossiers with five relations each. Prefetching those relations built a
Django model for every commune, technology and vendor of every row, which cost three times
the SQL itself (bench/registry_pages.py). Here each relation is one query of the few values a
row needs, and each dossier gets a ``links`` attribute; ``attach_links`` takes the dossiers of
several sections at once, so a place page with four sections still runs five queries.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from urllib.parse import quote

from django.db import connection
from django.urls import reverse
from django.utils.translation import get_language

from technopolice.lib.idlists import integer_list

from .models import Dossier


@dataclass(frozen=True, slots=True)
class Link:
    """A record a dossier points to: its name in the current language, its page, its public key."""

    name: str
    url: str
    key: str


@dataclass(slots=True)
class DossierLinks:
    communes: list[Link] = field(default_factory=list)
    departments: list[Link] = field(default_factory=list)
    regions: list[Link] = field(default_factory=list)
    technologies: list[Link] = field(default_factory=list)
    vendors: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """How to read one many-to-many relation of Dossier as links."""

    field: str  # the Dossier field, also the DossierLinks attribute
    key: str  # the public key exports carry (INSEE code, department code, slug)
    url_name: str
    sort: str = "name"  # the column links are sorted by, after ``position`` where there is one
    localised: bool = False  # names in name_fr / name_en, as Technology

    @property
    def through(self):
        return Dossier.link_table(self.field)

    @property
    def target(self):
        return Dossier._meta.get_field(self.field).related_model


RELATIONS = (
    Relation("communes", "insee", "registry:commune"),
    Relation("departments", "code", "registry:department", sort="code"),
    Relation("regions", "code", "registry:region"),
    Relation("technologies", "slug", "registry:technology", sort="slug", localised=True),
    Relation("vendors", "slug", "registry:organisation"),
)


def url_maker(url_name: str):
    """A function slug -> URL that reverses once, not once per link (the language prefix included)."""
    head, _placeholder, tail = reverse(url_name, args=["slug-placeholder"]).partition("slug-placeholder")
    return lambda slug: f"{head}{quote(slug)}{tail}"


@functools.cache
def _select(index: int) -> str:
    """One branch of the UNION, up to its IN list: (relation, dossier, slug, key, name, English
    name, position, sort). Read from the models' metadata once per process."""
    relation = RELATIONS[index]
    quote_name = connection.ops.quote_name
    through, target = relation.through._meta, relation.target._meta
    column = through.get_field(relation.target._meta.model_name).column
    name, english = ("name_fr", "name_en") if relation.localised else ("name", None)
    has_position = any(f.name == "position" for f in target.fields)
    values = [
        str(index),
        "t.dossier_id",
        "r.slug",
        f"r.{quote_name(relation.key)}",
        f"r.{quote_name(name)}",
        f"r.{quote_name(english)}" if english else "r.slug",
        "r.position" if has_position else "0",
        f"r.{quote_name(relation.sort)}",
    ]
    # Names come from model metadata, quoted; the ids are integers written in by _rows.
    tables = f"{quote_name(through.db_table)} t JOIN {quote_name(target.db_table)} r"
    join = f"r.id = t.{quote_name(column)}"
    return f"SELECT {', '.join(values)} FROM {tables} ON {join} WHERE t.dossier_id IN "  # noqa: S608


def _rows(ids: list[int]) -> list[tuple]:
    """Every link of the dossiers, all relations in one UNION ALL: one round trip, not five.

    Written in SQL from the models' metadata: the ORM compiled five querysets per page for
    what is one statement. The ids are written in as integers (lib.idlists): as 125
    parameters, this statement was parsed again on every call.
    """
    in_list = integer_list(ids)
    sql = " UNION ALL ".join(_select(index) + in_list for index in range(len(RELATIONS)))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


# Links sort by (position, sort column) only: two communes may share a name (Saint-Denis).
ORDER = itemgetter(0, 1)


def attach_links(dossiers: Iterable[Dossier]) -> list[Dossier]:
    """Give each dossier a ``links`` attribute (DossierLinks); returns them as a list."""
    dossiers = list(dossiers)
    ids = list({dossier.pk for dossier in dossiers})
    if not ids:
        return dossiers
    english = (get_language() or "fr").startswith("en")
    urls = [url_maker(relation.url_name) for relation in RELATIONS]
    found = defaultdict(list)  # (dossier id, relation index) -> [(position, sort, Link)]
    for index, dossier_id, slug, key, name, english_name, position, sort in _rows(ids):
        if RELATIONS[index].localised and english and english_name:
            name = english_name
        found[dossier_id, index].append((position, sort, Link(name, urls[index](slug), str(key))))
    for dossier in dossiers:
        dossier.links = DossierLinks(
            **{
                relation.field: [
                    link for *_order, link in sorted(found.get((dossier.pk, index), []), key=ORDER)
                ]
                for index, relation in enumerate(RELATIONS)
            }
        )
    return dossiers
