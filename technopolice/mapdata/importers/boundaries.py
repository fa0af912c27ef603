"""Reading commune contours: OpenStreetMap administrative boundaries or a GeoJSON file.

From OSM: areas (multipolygon relations, assembled by pyosmium) tagged
``boundary=administrative``, ``admin_level=8`` and ``ref:INSEE``. From GeoJSON: a
FeatureCollection of Polygon or MultiPolygon features whose INSEE code is in a property
(``--property``, else the first of ``INSEE_PROPERTIES`` found). Contours are matched to
the registry's communes by INSEE code; unknown codes are counted, not fatal.
"""

from collections.abc import Iterator
from pathlib import Path

import osmium
import shapely
from django.utils.translation import gettext as _

from . import ImportFailed, Progress, read_json
from .osm import area_geometry, stream

INSEE_PROPERTIES = ("code", "insee", "INSEE_COM", "ref:INSEE", "code_insee", "INSEE")
Contour = tuple[str, shapely.Geometry]  # (INSEE code, polygon or multipolygon)


def read_osm_boundaries(path: Path, file_format: str, progress: Progress) -> Iterator[Contour]:
    administrative = osmium.filter.TagFilter(("boundary", "administrative"))
    processor = osmium.FileProcessor(osmium.io.File(str(path), file_format)).with_areas(administrative)
    return stream(processor, path, progress, _osm_contour)


def _osm_contour(area) -> Contour | None:
    tags = area.tags
    if not area.is_area():
        return None
    if (
        tags.get("boundary") != "administrative"
        or tags.get("admin_level") != "8"
        or not tags.get("ref:INSEE")
    ):
        return None
    geometry = area_geometry(area)
    return (normalise_insee(tags["ref:INSEE"]), geometry) if _usable(geometry) else None


def read_geojson_boundaries(path: Path, insee_property: str | None) -> Iterator[Contour]:
    features = _features(path)
    name = insee_property or _guess_property(features, path)
    for feature in features:
        code = (feature.get("properties") or {}).get(name)
        geometry = _shape(feature.get("geometry"))
        if code not in (None, "") and _usable(geometry):
            yield normalise_insee(code), geometry


def _features(path: Path) -> list[dict]:
    data = read_json(path)
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportFailed(_("%(path)s is not a GeoJSON FeatureCollection.") % {"path": path})
    return [f for f in data["features"] if isinstance(f, dict)]


def _guess_property(features: list[dict], path: Path) -> str:
    names = {name for f in features[:100] for name in (f.get("properties") or {})}
    for candidate in INSEE_PROPERTIES:
        if candidate in names:
            return candidate
    raise ImportFailed(
        _("No INSEE code property in %(path)s; pass --property, one of: %(names)s")
        % {"path": path, "names": ", ".join(sorted(names)) or "-"}
    )


def _shape(geometry) -> shapely.Geometry | None:
    try:
        return shapely.geometry.shape(geometry)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError):
        return None


def _usable(geometry) -> bool:
    return (
        geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon") and not geometry.is_empty
    )


def normalise_insee(code) -> str:
    """INSEE codes as text of five characters: spreadsheets turn 06012 into the number 6012."""
    text = str(code).strip()
    return text.zfill(5) if text.isdigit() else text.upper()
