"""Cameras as open data: one Table (lib.opendata) feeds the JSON, CSV and GeoJSON downloads.

Rows mix datasets (OpenStreetMap under the ODbL, official lists, contributions), so every
row carries its dataset and licence, and the attribution lists each dataset present.
GeoJSON is not a list format of lib.opendata; it is written here from the same Table so
the three downloads cannot disagree.
"""

import json

from django.http import HttpResponse

from technopolice.lib.opendata import Attribution, Column, Table

from .models import Camera, CameraDataset


def osm_url(camera: Camera) -> str:
    """The camera's page on OpenStreetMap, for OSM-derived cameras: a link the visitor clicks."""
    if camera.osm_type in ("node", "way", "relation") and camera.osm_id:
        return f"https://www.openstreetmap.org/{camera.osm_type}/{camera.osm_id}"
    return ""


COLUMNS = [
    Column("id", lambda c: c.pk),
    Column("latitude", lambda c: c.latitude),
    Column("longitude", lambda c: c.longitude),
    Column("surveillance", lambda c: c.surveillance),
    Column("type", lambda c: c.surveillance_type),
    Column("camera_type", lambda c: c.camera_type),
    Column("directions", lambda c: ";".join(f"{d:g}" for d in c.directions or [])),
    Column("mount", lambda c: c.camera_mount),
    Column("zone", lambda c: c.zone),
    Column("operator", lambda c: c.operator),
    Column("commune_insee", lambda c: c.commune.insee if c.commune_id else ""),
    Column("dataset", lambda c: c.dataset.slug),
    Column("licence", lambda c: c.dataset.licence),
    Column("source_id", lambda c: c.external_id),
    Column("osm_url", osm_url),
]


def attribution_of(dataset: CameraDataset) -> Attribution:
    return Attribution(dataset.attribution or dataset.name, dataset.licence, dataset.url)


def camera_table(page, count: int, next_url: str | None) -> Table:
    rows = list(page)
    datasets = {c.dataset_id: c.dataset for c in rows}
    attribution = [attribution_of(d) for d in sorted(datasets.values(), key=lambda d: d.slug)]
    return Table("cameras", COLUMNS, rows, count, next_url, attribution)


def geojson_response(table: Table) -> HttpResponse:
    features = [_feature(record) for record in table.records()]
    body = {
        "type": "FeatureCollection",
        "count": table.count,
        "next": table.next_url,
        "attribution": [a.as_dict() for a in table.attribution],
        "features": features,
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = 'attachment; filename="cameras.geojson"'
    return response


def _feature(record: dict) -> dict:
    point = [record.pop("longitude"), record.pop("latitude")]
    return {
        "type": "Feature",
        "id": record["id"],
        "geometry": {"type": "Point", "coordinates": point},
        "properties": record,
    }
