"""Writing a file's cameras into a dataset: the diff against what the last import left.

A camera is identified by its ``external_id`` within its dataset. Against the previous
import, each camera read is added, changed (any imported field differs: version, tags,
position), restored (it had vanished and is back) or unchanged; cameras of the dataset
missing from the file are marked removed (``removed_at``), kept for history and hidden
from the map. Importing the same file twice therefore changes nothing.

Everything happens in one transaction, after the whole file has been read: a file that
fails half-way leaves the dataset exactly as it was.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import mercator
from ..models import Camera, CameraDataset
from . import CameraRecord, ImportFailed
from .attach import CommuneLocator

SCHEME = [
    "surveillance", "surveillance_type", "camera_type", "camera_mount", "zone", "operator",
    "start_date", "check_date", "height", "camera_angle", "direction_raw", "directions",
]  # fmt: skip
COMPARED = ["osm_type", "osm_id", "osm_version", "latitude", "longitude", "tags", *SCHEME]
BATCH = 2000


@dataclass
class ImportSummary:
    added: int = 0
    changed: int = 0
    restored: int = 0
    removed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _(
            "%(added)d added, %(changed)d changed, %(removed)d removed, %(unchanged)d unchanged, "
            "%(restored)d back after being removed."
        ) % vars(self)


def read_all(records: Iterable[CameraRecord]) -> dict[str, dict]:
    """The Camera field values of every record, by external id (a later duplicate wins)."""
    return {r.external_id: _values(r) for r in records}


def _values(record: CameraRecord) -> dict:
    return {
        "osm_type": record.osm_type,
        "osm_id": record.osm_id,
        "osm_version": record.osm_version,
        "latitude": record.latitude,
        "longitude": record.longitude,
        "tags": record.tags,
        **record.values,
    }


@transaction.atomic
def sync_dataset(dataset: CameraDataset, cameras: dict[str, dict]) -> ImportSummary:
    """Bring the dataset in line with ``cameras`` (external id -> field values), see the module."""
    now, summary = timezone.now(), ImportSummary()
    existing = {row["external_id"]: row for row in _existing(dataset)}
    new, updated = [], []
    for external_id, values in cameras.items():
        row = existing.pop(external_id, None)
        if row is None:
            new.append(Camera(dataset=dataset, external_id=external_id, **values))
        elif row["removed_at"] is not None or _differs(row, values):
            summary.restored += row["removed_at"] is not None
            summary.changed += row["removed_at"] is None
            updated.append(Camera(id=row["id"], dataset=dataset, external_id=external_id, **values))
        else:
            summary.unchanged += 1
    summary.added = len(new)
    _place(new + updated, now)
    Camera.objects.bulk_create(new, batch_size=BATCH)
    Camera.objects.bulk_update(updated, [*COMPARED, "x", "y", "commune", "removed_at", "updated_at"], batch_size=BATCH)
    summary.removed = _mark_removed([row["id"] for row in existing.values() if row["removed_at"] is None], now)
    CameraDataset.objects.filter(pk=dataset.pk).update(imported_at=now)
    return summary


def _existing(dataset: CameraDataset):
    return Camera.objects.filter(dataset=dataset).values("id", "external_id", "removed_at", *COMPARED).iterator(
        chunk_size=BATCH
    )


def _differs(row: dict, values: dict) -> bool:
    return any(row[name] != values[name] for name in COMPARED)


def _place(cameras: list[Camera], now) -> None:
    """Pixels and commune for cameras about to be written: bulk writes skip ``save()``."""
    points = [(c.latitude, c.longitude) for c in cameras]
    communes = CommuneLocator(points).locate_many(points) if cameras else []
    for camera, commune_id in zip(cameras, communes, strict=True):
        camera.x, camera.y = mercator.to_pixels(camera.latitude, camera.longitude)
        camera.commune_id = commune_id
        camera.removed_at = None
        camera.first_seen = camera.updated_at = now


def _mark_removed(ids: list[int], now) -> int:
    for start in range(0, len(ids), BATCH):
        Camera.objects.filter(id__in=ids[start : start + BATCH]).update(removed_at=now, updated_at=now)
    return len(ids)


@transaction.atomic
def import_into(slug: str, defaults: dict, cameras: dict[str, dict]) -> tuple[CameraDataset, ImportSummary]:
    """Create the dataset if needed and sync it, in one transaction with the cameras.

    Refuses to mix kinds: an official list cannot overwrite an OpenStreetMap dataset.
    """
    dataset, created = CameraDataset.objects.select_for_update().get_or_create(slug=slug, defaults=defaults)
    if not created and dataset.kind != defaults["kind"]:
        raise ImportFailed(
            _("Dataset %(slug)s holds %(kind)s cameras; choose another --dataset.")
            % {"slug": slug, "kind": dataset.get_kind_display()}
        )
    return dataset, sync_dataset(dataset, cameras)
