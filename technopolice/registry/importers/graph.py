"""Parse the technopolice graph (nodes.csv, edges.csv): who sells what to whom, with sources.

Nodes become organisations, except the technology nodes ("VSA", "reconnaissance faciale"),
recognised by the aliases of the taxonomy; their edges become what an organisation sells or
uses. Edges become links read subject → object: the dataset's edge types are French, some
misspelt, and not always written in the same direction, so each type says how to orient it.
Nothing here touches the database; problems are collected per row for the command to print.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from technopolice.lib.text import fold
from technopolice.registry.models import OrganisationKind, Relation

from .csvfiles import ImportFailed, read_rows
from .matching import CommuneIndex, Entry

NODES_FILE, EDGES_FILE = "nodes.csv", "edges.csv"
NODE_COLUMNS, EDGE_COLUMNS = ["id", "label", "category"], ["source", "target", "type", "url"]
CATEGORIES = {
    "acteur prive": OrganisationKind.VENDOR,
    "acteur public": OrganisationKind.PUBLIC_BODY,
    "association professionnelle": OrganisationKind.LOBBY,
    "actionnaire": OrganisationKind.SHAREHOLDER,
}
SUBJECT, OBJECT = "subject", "object"
# Soft hyphens, zero-width characters and odd spaces seen in the free-text names.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"\s+")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class EdgeType:
    """How one edge type of the dataset maps to a Relation.

    ``reverse``: the dataset writes it object → subject. ``anchor``: the side an endpoint of
    that kind must take ("a pour client": the public body is the client, whichever way the
    row was written); when not exactly one endpoint has that kind, the row is kept as
    written and reported. ``relation`` None: a feature, kept as the organisation's technology.
    """

    relation: str | None
    reverse: bool = False
    anchor: tuple[str, str] | None = None


FEATURE = EdgeType(None)
EDGE_TYPES = {
    "a pour client": EdgeType(Relation.CLIENT_OF, anchor=(SUBJECT, OrganisationKind.PUBLIC_BODY)),
    "est membre": EdgeType(Relation.MEMBER_OF),
    "est membre de": EdgeType(Relation.MEMBER_OF),
    "fait du lobbying": EdgeType(Relation.LOBBIES),
    "fait du lobbbying": EdgeType(Relation.LOBBIES),
    "fonctionne avec": EdgeType(Relation.WORKS_WITH),
    "est fourni par": EdgeType(Relation.SUPPLIED_BY),
    "a pour actionnaire": EdgeType(
        Relation.SHAREHOLDER_OF, reverse=True, anchor=(SUBJECT, OrganisationKind.SHAREHOLDER)
    ),
    "est fabriquant de": EdgeType(Relation.MANUFACTURER_OF),
    "est fabricant de": EdgeType(Relation.MANUFACTURER_OF),
    "est integrateur de": EdgeType(Relation.INTEGRATOR_OF),
    "est sous traitant de": EdgeType(Relation.SUBCONTRACTOR_OF),
    "est utilise par": EdgeType(Relation.USED_BY, anchor=(OBJECT, OrganisationKind.PUBLIC_BODY)),
    "a candidate": EdgeType(Relation.BIDDER_FOR),
    "fonctionnalite": FEATURE,
    "fonctionnalite non fonctionnelle": FEATURE,
}


@dataclass
class Problem:
    file: str
    line: int
    name: str
    message: str

    def __str__(self) -> str:
        return _("%(file)s line %(line)s: %(name)s: %(message)s") % {
            "file": self.file,
            "line": self.line,
            "name": repr(self.name),
            "message": self.message,
        }


@dataclass
class Node:
    line: int
    key: str
    name: str
    kind: str
    slug: str = ""
    technology: str = ""
    commune: Entry | None = None
    is_town: bool = False


@dataclass
class Link:
    line: int
    subject: str
    relation: str
    object: str
    source_url: str
    other_sources: list[str]


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    features: list[tuple[str, str]] = field(default_factory=list)  # (organisation slug, technology slug)
    problems: list[Problem] = field(default_factory=list)
    documents: dict[str, list[int]] = field(default_factory=dict)  # bare file name -> edge lines

    def organisations(self) -> list[Node]:
        """One node per organisation slug: spellings of one name ("Saint­-Etienne") are merged."""
        unique: dict[str, Node] = {}
        for node in self.nodes.values():
            if not node.technology:
                unique.setdefault(node.slug, node)
        return list(unique.values())


def clean(name: str) -> str:
    """The name without soft hyphens or odd whitespace, composed (NFC)."""
    text = unicodedata.normalize("NFC", name or "").translate(_INVISIBLE)
    return _SPACES.sub(" ", text).strip()


def organisation_slug(name: str) -> str:
    return slugify(clean(name))[:200] or "organisation"


def read(folder: Path, technologies: dict[str, str], communes: CommuneIndex) -> Graph:
    """technologies: folded alias → technology slug."""
    graph = Graph()
    read_nodes(folder / NODES_FILE, graph, technologies, communes)
    read_edges(folder / EDGES_FILE, graph)
    return graph


def read_nodes(path: Path, graph: Graph, technologies: dict[str, str], communes: CommuneIndex) -> None:
    seen: dict[str, int] = {}
    for line, row in read_rows(path, NODE_COLUMNS):
        key, name = row["id"].strip(), clean(row["label"] or row["id"])
        if not key:
            raise ImportFailed(
                _("%(file)s, line %(line)s: the id is empty") % {"file": path.name, "line": line}
            )
        if key in graph.nodes:
            graph.problems.append(Problem(path.name, line, name, _("the same id again, ignored")))
            continue
        node = _node(path, line, key, name, row["category"], technologies, graph)
        if not node.technology:
            _resolve_commune(path, node, communes, graph)
            _note_duplicate(path, node, seen, graph)
        graph.nodes[key] = node


def _node(
    path: Path, line: int, key: str, name: str, category: str, technologies: dict, graph: Graph
) -> Node:
    folded = fold(category)
    kind = CATEGORIES.get(folded, OrganisationKind.OTHER)
    node = Node(line, key, name, kind, slug=organisation_slug(name))
    if folded not in CATEGORIES:
        node.technology = technologies.get(fold(name), "")
        if folded not in ("", "null"):
            graph.problems.append(
                Problem(path.name, line, name, _("unknown category %(c)r") % {"c": category})
            )
    return node


def _resolve_commune(path: Path, node: Node, communes: CommuneIndex, graph: Graph) -> None:
    """Attach a town council to its commune; report, never guess, when that is not certain."""
    resolution = communes.resolve(node.name)
    if resolution is None:
        return
    if node.kind == OrganisationKind.OTHER:
        node.kind = OrganisationKind.PUBLIC_BODY
    node.is_town, node.commune = True, resolution.commune
    if resolution.problem:
        graph.problems.append(Problem(path.name, node.line, node.name, resolution.problem))


def _note_duplicate(path: Path, node: Node, seen: dict[str, int], graph: Graph) -> None:
    if node.slug in seen:
        message = _("same organisation as line %(line)s, merged") % {"line": seen[node.slug]}
        graph.problems.append(Problem(path.name, node.line, node.name, message))
    seen.setdefault(node.slug, node.line)


def read_edges(path: Path, graph: Graph) -> None:
    for line, row in read_rows(path, EDGE_COLUMNS):
        ends = [graph.nodes.get(row[side].strip()) for side in ("source", "target")]
        label = f"{clean(row['source'])} → {clean(row['target'])}"
        edge_type = EDGE_TYPES.get(fold(row["type"]))
        if edge_type is None:
            graph.problems.append(
                Problem(path.name, line, label, _("unknown type %(t)r, skipped") % {"t": row["type"]})
            )
        elif None in ends:
            graph.problems.append(Problem(path.name, line, label, _("an end is not in nodes.csv, skipped")))
        else:
            _edge(path, line, label, edge_type, ends[0], ends[1], row["url"], graph)
    graph.links = merge_links(graph.links)


def _edge(
    path: Path, line: int, label: str, edge_type: EdgeType, source: Node, target: Node, url: str, graph: Graph
):
    technologies = [n for n in (source, target) if n.technology]
    if len(technologies) == 1:
        organisation = target if source.technology else source
        graph.features.append((organisation.slug, technologies[0].technology))
        return
    if technologies or edge_type.relation is None:
        graph.problems.append(
            Problem(path.name, line, label, _("needs one organisation and one technology, skipped"))
        )
        return
    subject, obj = orient(
        edge_type, source, target, lambda m: graph.problems.append(Problem(path.name, line, label, m))
    )
    first, others = sources(url, line, graph)
    graph.links.append(Link(line, subject.slug, edge_type.relation, obj.slug, first, others))


def orient(edge_type: EdgeType, source: Node, target: Node, report) -> tuple[Node, Node]:
    """(subject, object) of an edge, using its anchor kind when it settles the direction."""
    written = (target, source) if edge_type.reverse else (source, target)
    if edge_type.anchor is None:
        return written
    side, kind = edge_type.anchor
    anchored = [n for n in (source, target) if n.kind == kind]
    if len(anchored) != 1:
        message = _("direction kept as written: no single end of the kind %(kind)s tells which way it goes")
        report(message % {"kind": OrganisationKind(kind).label})
        return written
    other = target if anchored[0] is source else source
    return (anchored[0], other) if side == SUBJECT else (other, anchored[0])


def sources(value: str, line: int, graph: Graph) -> tuple[str, list[str]]:
    """The first source and the others: "a|b" split, URLs before bare document names."""
    parts = [_ESCAPE.sub(r"\1", p.strip()) for p in (value or "").split("|") if p.strip()]
    urls = [p for p in parts if re.match(r"^https?://\S+$", p)]
    documents = [p for p in parts if p not in urls]
    for document in documents:
        graph.documents.setdefault(document, []).append(line)
    ordered = urls + documents
    return (ordered[0] if ordered else ""), ordered[1:]


def merge_links(links: list[Link]) -> list[Link]:
    """One link per (subject, relation, object): a fact given twice keeps the sources of both."""
    merged: dict[tuple[str, str, str], Link] = {}
    for link in links:
        known = merged.setdefault((link.subject, link.relation, link.object), link)
        if known is not link:
            extra = [s for s in [link.source_url, *link.other_sources] if s and s != known.source_url]
            known.other_sources = list(dict.fromkeys(known.other_sources + extra))
    return list(merged.values())
