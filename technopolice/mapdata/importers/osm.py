"""Reading surveillance cameras from OpenStreetMap files (.osm.pbf and .osm XML) with pyosmium.

The file is streamed once (twice when multipolygons need assembling): only the cameras
are kept in memory, never the rest of the extract. Node locations are cached by
pyosmium so that ways get their positions; closed ways are read as ways and only
multipolygon relations are taken from the assembled areas, so nothing counts twice.
"""

from collections.abc import Iterator
from pathlib import Path

import osmium
import shapely
from django.utils.translation import gettext as _

from . import CameraRecord, ImportFailed, Progress
from .tags import camera_fields


def read_osm(
    path: Path, file_format: str, progress: Progress, locations: str = "flex_mem"
) -> Iterator[CameraRecord]:
    """Every node, way and multipolygon tagged man_made=surveillance, with its position.

    ``locations`` is pyosmium's node location storage: the default keeps them in memory,
    which suits regional extracts; "dense_file_array,FILE" keeps a country's on disk.
    """
    processor = osmium.FileProcessor(osmium.io.File(str(path), file_format))
    try:
        processor.with_locations(locations).with_areas()
    except (RuntimeError, ValueError) as error:
        message = _("Unusable node location storage %(name)r: %(error)s") % {
            "name": locations,
            "error": error,
        }
        raise ImportFailed(message) from error
    return stream(processor, path, progress, _camera)


def stream(processor, path: Path, progress: Progress, pick) -> Iterator:
    """What ``pick`` makes of each element it keeps, turning pyosmium's errors into ImportFailed."""
    try:
        for element in processor:
            item = pick(element)
            progress.tick(kept=item is not None)
            if item is not None:
                yield item
    except (RuntimeError, ValueError) as error:
        raise ImportFailed(
            _("%(path)s is corrupt or truncated (%(error)s).") % {"path": path, "error": error}
        ) from error


def _camera(element) -> CameraRecord | None:
    return _record(element) if element.tags.get("man_made") == "surveillance" else None


def _record(element) -> CameraRecord | None:
    if element.is_area():
        if element.from_way():
            return None  # the way itself is read as a way
        kind, osm_id, position = "relation", element.orig_id(), _area_centroid(element)
    elif element.is_way():
        kind, osm_id, position = "way", element.id, way_centroid(_way_points(element))
    elif element.is_node():
        kind, osm_id, position = "node", element.id, _node_position(element)
    else:
        return None  # relations that are not areas have no position of their own
    if position is None:
        return None
    return osm_record(kind, osm_id, element.version, position, dict(element.tags))


def osm_record(kind: str, osm_id: int, version, position, tags: dict) -> CameraRecord:
    """A record keyed "node/123" (the OSM address), shared with the Overpass reader."""
    return CameraRecord(
        external_id=f"{kind}/{osm_id}",
        latitude=round(position[0], 7),
        longitude=round(position[1], 7),
        tags=tags,
        values=camera_fields(tags),
        osm_type=kind,
        osm_id=osm_id,
        osm_version=version or None,
    )


def _node_position(node) -> tuple[float, float] | None:
    return (node.location.lat, node.location.lon) if node.location.valid() else None


def way_centroid(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    """(lat, lon) of the centroid of a closed way's polygon, or of an open way's line.

    ``points`` are (lon, lat) pairs; nodes cut off by the extract's edge are left out before.
    """
    if not points:
        return None
    geometry = shapely.MultiPoint(points)
    if len(points) >= 4 and points[0] == points[-1] and shapely.Polygon(points).area > 0:
        geometry = shapely.Polygon(points)
    elif len(set(points)) > 1:
        geometry = shapely.LineString(points)
    centre = geometry.centroid
    return centre.y, centre.x


def _way_points(way) -> list[tuple[float, float]]:
    return [(n.location.lon, n.location.lat) for n in way.nodes if n.location.valid()]


_WKB = osmium.geom.WKBFactory()


def area_geometry(area):
    """The shapely (multi)polygon of an assembled area, or None when it cannot be built."""
    try:
        return shapely.from_wkb(_WKB.create_multipolygon(area), on_invalid="ignore")
    except (RuntimeError, shapely.errors.ShapelyError):
        return None


def _area_centroid(area) -> tuple[float, float] | None:
    geometry = area_geometry(area)
    if geometry is None or geometry.is_empty:
        return None
    centre = geometry.centroid
    return centre.y, centre.x
