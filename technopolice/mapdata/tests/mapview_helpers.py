"""Cameras for the map's tests, created directly (the importers are tested on their own)."""

from technopolice.mapdata import mercator
from technopolice.mapdata.models import Camera, CameraDataset, DatasetKind


def osm_dataset() -> CameraDataset:
    return CameraDataset.objects.get_or_create(
        slug="osm-test",
        defaults={
            "kind": DatasetKind.OSM,
            "name": "OpenStreetMap",
            "licence": "ODbL 1.0",
            "attribution": "© OpenStreetMap contributors",
        },
    )[0]


def official_dataset() -> CameraDataset:
    return CameraDataset.objects.get_or_create(
        slug="paris-pp",
        defaults={"kind": DatasetKind.OFFICIAL, "name": "Préfecture de police", "licence": "public act"},
    )[0]


def camera(lat: float, lon: float, dataset: CameraDataset | None = None, **fields) -> Camera:
    dataset = dataset or osm_dataset()
    external_id = fields.pop("external_id", f"node/{Camera.objects.count() + 1}")
    return Camera.objects.create(
        dataset=dataset, external_id=external_id, latitude=lat, longitude=lon, **fields
    )


def many(points, dataset: CameraDataset | None = None, **fields) -> list[Camera]:
    """Bulk-create cameras at ``points`` (bulk_create skips save(), so pixels are set here)."""
    dataset = dataset or osm_dataset()
    start = Camera.objects.count()
    cameras = []
    for i, (lat, lon) in enumerate(points):
        x, y = mercator.to_pixels(lat, lon)
        cameras.append(
            Camera(
                dataset=dataset,
                external_id=f"bulk/{start + i}",
                latitude=lat,
                longitude=lon,
                x=x,
                y=y,
                **fields,
            )
        )
    return Camera.objects.bulk_create(cameras)
