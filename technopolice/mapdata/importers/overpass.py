"""Reading surveillance cameras from Overpass API JSON.

Both shapes Overpass tools produce are accepted: the API's ``{"elements": [...]}`` and a
bare list of elements. Positions come from a node's lat/lon, and for ways and relations
from ``geometry`` (``out geom``), ``center`` (``out center``) or ``bounds`` (``out bb``),
in that order of precision. The whole answer is parsed at once: Overpass answers are
bounded by the server, unlike planet extracts, which go through the streaming OSM reader.
"""

from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from . import CameraRecord, ImportFailed, Progress, read_json
from .osm import osm_record, way_centroid


def read_overpass(path: Path, progress: Progress) -> Iterator[CameraRecord]:
    elements = _elements(path)
    for number, element in enumerate(elements):
        if not isinstance(element, dict) or "type" not in element or "id" not in element:
            raise ImportFailed(
                _("Element %(number)s of %(path)s is not an Overpass element.")
                % {"number": number, "path": path}
            )
        record = _record(element)
        progress.tick(kept=record is not None)
        if record is not None:
            yield record


def _elements(path: Path) -> list:
    data = read_json(path)
    if isinstance(data, dict) and isinstance(data.get("elements"), list):
        return data["elements"]
    if isinstance(data, list):
        return data
    raise ImportFailed(
        _('%(path)s is JSON but not an Overpass answer: expected {"elements": [...]} or a list of elements.')
        % {"path": path}
    )


def _record(element: dict) -> CameraRecord | None:
    tags = element.get("tags") if isinstance(element.get("tags"), dict) else {}
    if tags.get("man_made") != "surveillance" or element["type"] not in ("node", "way", "relation"):
        return None
    position, osm_id = _position(element), _integer(element["id"])
    if position is None or osm_id is None or not (-90 <= position[0] <= 90 and -180 <= position[1] <= 180):
        return None
    tags = {str(key): str(value) for key, value in tags.items()}
    version = _integer(element.get("version"))
    return osm_record(element["type"], osm_id, version if version and version > 0 else None, position, tags)


def _integer(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _position(element: dict) -> tuple[float, float] | None:
    try:
        if "lat" in element and "lon" in element:
            return float(element["lat"]), float(element["lon"])
        if element.get("geometry"):
            points = [(float(p["lon"]), float(p["lat"])) for p in element["geometry"] if p]
            return way_centroid(points)
        if "center" in element:
            return float(element["center"]["lat"]), float(element["center"]["lon"])
        if "bounds" in element:
            b = element["bounds"]
            return (float(b["minlat"]) + float(b["maxlat"])) / 2, (
                float(b["minlon"]) + float(b["maxlon"])
            ) / 2
    except (KeyError, TypeError, ValueError):
        return None
    return None
