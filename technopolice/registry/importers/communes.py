"""Parse the INSEE gazetteer (communes.csv, departements.csv, regions.csv) into clean records.

The file has one row per (commune, postal code); delegated communes (COMD) repeat their
parent's code and figures; Paris, Marseille and Lyon exist only as their municipal
arrondissements (ARM). See samples/README.md. Nothing here touches the database.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .csvfiles import ImportFailed, at_line, number, read_rows

COMMUNES_FILE, DEPARTMENTS_FILE, REGIONS_FILE = "communes.csv", "departements.csv", "regions.csv"
COMMUNE_COLUMNS = [
    "insee_com",
    "insee_dep",
    "commune_article",
    "code_postal",
    "commune_type",
    "insee_parente",
    "lat",
    "lng",
    "superficie_km2",
    "population_2021",
]
DEPARTMENT_COLUMNS = ["insee_dep", "insee_reg", "departement"]
REGION_COLUMNS = ["insee_reg", "region"]
COM, COMD, ARM = "COM", "COMD", "ARM"
_INSEE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
_ARRONDISSEMENT = re.compile(r"\s+\d+\s*(?:er|e|ème)?\s+arrondissement$", re.IGNORECASE)


@dataclass
class Place:
    """A region or a department (department rows carry their region's code)."""

    code: str
    name: str
    slug: str
    region: str = ""


@dataclass
class CommuneRecord:
    insee: str
    name: str
    kind: str
    department: str
    parent: str = ""
    postal_codes: list[str] = field(default_factory=list)
    population: int | None = None
    area_km2: float | None = None
    latitude: float | None = None
    longitude: float | None = None
    slug: str = ""


@dataclass
class Gazetteer:
    regions: list[Place]
    departments: list[Place]
    communes: list[CommuneRecord]
    delegated_rows: int = 0
    rebuilt: list[str] = field(default_factory=list)


def folder_of(path: str | Path) -> Path:
    """Accept the folder or the communes.csv inside it (its siblings are read too)."""
    path = Path(path)
    return path.parent if path.suffix.lower() == ".csv" else path


def read(folder: Path) -> Gazetteer:
    regions = read_regions(folder / REGIONS_FILE)
    departments = read_departments(folder / DEPARTMENTS_FILE, {r.code for r in regions})
    communes, delegated = read_communes(folder / COMMUNES_FILE, {d.code for d in departments})
    rebuilt = rebuild_cities(communes)
    assign_slugs(communes)
    return Gazetteer(regions, departments, communes, delegated, rebuilt)


def read_regions(path: Path) -> list[Place]:
    places = []
    for line, row in read_rows(path, REGION_COLUMNS):
        name = _required(path, line, row, "region_article", "region")
        places.append(Place(code=row["insee_reg"].strip(), name=name, slug=slugify(name)))
    return _unique(path, places)


def read_departments(path: Path, regions: set[str]) -> list[Place]:
    places = []
    for line, row in read_rows(path, DEPARTMENT_COLUMNS):
        name = _required(path, line, row, "departement_article", "departement")
        code, region = row["insee_dep"].strip(), row["insee_reg"].strip()
        at_line(path, line, lambda: _known(region, regions, "insee_reg"))  # noqa: B023 (called at once)
        places.append(Place(code=code, name=name, slug=slugify(f"{name}-{code}"), region=region))
    return _unique(path, places)


def _required(path: Path, line: int, row: dict, *columns: str) -> str:
    """The first non-empty value among columns (the article form first, when the file has it)."""
    for column in columns:
        if (row.get(column) or "").strip():
            return row[column].strip()
    raise ImportFailed(_("%(file)s, line %(line)s: the name is empty") % {"file": path.name, "line": line})


def _known(code: str, codes: set[str], column: str) -> None:
    if code not in codes:
        raise ValueError(
            _("unknown code %(code)r in the column %(column)s") % {"code": code, "column": column}
        )


def _unique(path: Path, places: list[Place]) -> list[Place]:
    twice = [code for code, n in Counter(p.code for p in places).items() if n > 1]
    if twice:
        raise ImportFailed(
            _("%(file)s lists %(codes)s twice.") % {"file": path.name, "codes": ", ".join(twice)}
        )
    return places


def read_communes(path: Path, departments: set[str]) -> tuple[list[CommuneRecord], int]:
    """One record per INSEE code (postal codes joined); delegated-commune rows skipped and counted."""
    by_code: dict[str, CommuneRecord] = {}
    delegated = 0
    for line, row in read_rows(path, COMMUNE_COLUMNS):
        if row["commune_type"].strip() == COMD:
            delegated += 1
            continue
        record = at_line(path, line, lambda: _parse_commune(row, departments))  # noqa: B023 (called at once)
        known = by_code.setdefault(record.insee, record)
        if record.postal_codes[0] not in known.postal_codes:
            known.postal_codes.append(record.postal_codes[0])
    return list(by_code.values()), delegated


def _parse_commune(row: dict, departments: set[str]) -> CommuneRecord:
    insee, kind = row["insee_com"].strip(), row["commune_type"].strip()
    if not _INSEE.match(insee):
        raise ValueError(_("%(code)r is not an INSEE commune code") % {"code": insee})
    if kind not in (COM, ARM):
        raise ValueError(_("unknown commune_type %(kind)r (expected COM, COMD or ARM)") % {"kind": kind})
    _known(row["insee_dep"].strip(), departments, "insee_dep")
    if not row["commune_article"].strip():
        raise ValueError(_("the column commune_article is empty"))
    return CommuneRecord(
        insee=insee,
        name=row["commune_article"].strip(),
        kind=kind,
        department=row["insee_dep"].strip(),
        parent=row["insee_parente"].strip() if kind == ARM else "",
        postal_codes=[row["code_postal"].strip()],
        population=number(row, "population_2021", int, required=False),
        area_km2=number(row, "superficie_km2", required=False),
        latitude=_coordinate(row, "lat", 90),
        longitude=_coordinate(row, "lng", 180),
    )


def _coordinate(row: dict, column: str, bound: float) -> float | None:
    value = number(row, column, required=False)
    if value is not None and not -bound <= value <= bound:
        raise ValueError(
            _("%(value)s in the column %(column)s is out of range") % {"value": value, "column": column}
        )
    return value


def rebuild_cities(communes: list[CommuneRecord]) -> list[str]:
    """Create the communes that exist only through their arrondissements (Paris, Marseille, Lyon).

    Population and area are summed. The centre is the population-weighted mean of the
    arrondissement centres: it lands on the historic core of each city (Châtelet for
    Paris), does not depend on how arrondissements happen to be numbered, and sits where
    people, and so most cameras, are.
    """
    codes = {c.insee for c in communes}
    groups: dict[str, list[CommuneRecord]] = {}
    for commune in communes:
        if commune.kind == ARM and commune.parent and commune.parent not in codes:
            groups.setdefault(commune.parent, []).append(commune)
    communes.extend(_city(code, parts) for code, parts in sorted(groups.items()))
    return sorted(groups)


def _city(code: str, parts: list[CommuneRecord]) -> CommuneRecord:
    first = min(parts, key=lambda p: p.insee)
    city = CommuneRecord(
        insee=code, name=_ARRONDISSEMENT.sub("", first.name), kind=COM, department=first.department
    )
    city.postal_codes = sorted({pc for p in parts for pc in p.postal_codes})
    city.population = sum(p.population or 0 for p in parts)
    city.area_km2 = round(sum(p.area_km2 or 0 for p in parts), 2)
    city.latitude, city.longitude = _weighted_centre(parts)
    return city


def _weighted_centre(parts: list[CommuneRecord]) -> tuple[float | None, float | None]:
    placed = [p for p in parts if p.latitude is not None and p.longitude is not None]
    weight = sum(p.population or 0 for p in placed)
    if not placed or not weight:
        return (placed[0].latitude, placed[0].longitude) if placed else (None, None)
    latitude = sum(p.latitude * (p.population or 0) for p in placed) / weight
    longitude = sum(p.longitude * (p.population or 0) for p in placed) / weight
    return round(latitude, 5), round(longitude, 5)


def assign_slugs(communes: list[CommuneRecord]) -> None:
    """Slug from the name; homonyms get their department ("saint-denis-93"), then their code.

    Computed over the whole file so a commune keeps its slug from one import to the next.
    """
    base = {c.insee: slugify(c.name) or c.insee for c in communes}
    homonyms = Counter(base.values())
    for commune in communes:
        slug = base[commune.insee]
        commune.slug = f"{slug}-{commune.department.lower()}" if homonyms[slug] > 1 else slug
    twice = Counter(c.slug for c in communes)
    for commune in communes:
        if twice[commune.slug] > 1:
            commune.slug = f"{base[commune.insee]}-{commune.insee.lower()}"
