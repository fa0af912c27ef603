"""Writing a file's cameras into a dataset: the diff against what the last import left.

A camera is identified by its ``external_id`` within its dataset. Against the previous
import, each camera read is added, changed (any imported field differs: version, tags,
position), restored (it had vanished and is back) or unchanged; cameras of the dataset
missing from the file are marked removed (``removed_at``), kept for history and hidden
from the map. Importing the same file twice therefore changes nothing.

Everything happens in one transaction, after the whole file has been read: a file that
fails half-way leaves the dataset exactly as it was.
"""

import operator
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, models, transaction
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
UPDATED = [*COMPARED, "x", "y", "commune", "removed_at", "updated_at"]
BATCH = 2000
# Field types whose Python values every driver accepts unchanged (the rest get prepared).
AS_IS = (models.CharField, models.TextField, models.IntegerField, models.FloatField, models.ForeignKey)


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
    new, updated = [], []  # (external id, values) and (id, external id, values)
    for external_id, values in cameras.items():
        row = existing.pop(external_id, None)
        if row is None:
            new.append((None, external_id, values))
        elif row["removed_at"] is not None or _differs(row, values):
            summary.restored += row["removed_at"] is not None
            summary.changed += row["removed_at"] is None
            updated.append((row["id"], external_id, values))
        else:
            summary.unchanged += 1
    summary.added = len(new)
    locator = CommuneLocator([(v["latitude"], v["longitude"]) for _, _, v in new + updated])
    for chunk in _chunks(new):
        insert_cameras(_placed(dataset, chunk, locator, now))
    for chunk in _chunks(updated):
        Camera.objects.bulk_update([Camera(**row) for row in _placed(dataset, chunk, locator, now)], UPDATED)
    summary.removed = _mark_removed(
        [row["id"] for row in existing.values() if row["removed_at"] is None], now
    )
    CameraDataset.objects.filter(pk=dataset.pk).update(imported_at=now)
    return summary


def insert_cameras(rows: list[dict]) -> None:
    """``bulk_create`` without the ORM's per-object machinery: rows (field attname -> value)
    go straight to ``COPY`` on PostgreSQL and ``executemany`` on SQLite, several times faster.

    Every concrete field is written, each value through its field's own database
    preparation unless it is plain text or a number, which drivers take as they are;
    ``_placed`` has filled in what ``save()``, defaults and ``auto_now`` would have.
    """
    db = connections[Camera.objects.db]
    fields = _fields()
    prepare = [_preparer(f, db) for f in fields]
    values = ([p(row) for p in prepare] for row in rows)
    table = db.ops.quote_name(Camera._meta.db_table)
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    # Only the model's own quoted table and column names go into the text; values are parameters.
    with db.cursor() as cursor:
        if db.vendor == "postgresql":  # COPY: one stream instead of a statement per row
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", list(values))  # noqa: S608


def _fields() -> list:
    return [f for f in Camera._meta.concrete_fields if not f.primary_key]


def _preparer(field, db):
    attname = field.attname
    if isinstance(field, AS_IS):
        return operator.itemgetter(attname)
    if isinstance(field, models.DateTimeField):
        # One import writes one timestamp (or None) a million times: convert each value once.
        cache = {}
        return lambda row: _cached(cache, row[attname], lambda v: field.get_db_prep_save(v, db))
    return lambda row: field.get_db_prep_save(row[attname], db)


def _cached(cache: dict, value, convert):
    if value not in cache:
        cache[value] = convert(value)
    return cache[value]


def _existing(dataset: CameraDataset):
    return (
        Camera.objects.filter(dataset=dataset)
        .values("id", "external_id", "removed_at", *COMPARED)
        .iterator(chunk_size=BATCH)
    )


def _differs(row: dict, values: dict) -> bool:
    return any(row[name] != values[name] for name in COMPARED)


def _chunks(items: list):
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _placed(dataset: CameraDataset, chunk: list, locator: CommuneLocator, now) -> list[dict]:
    """Rows ready to write (attname -> value), with pixels and commune: bulk writes skip ``save()``."""
    defaults = {f.attname: f.get_default() for f in _fields()}
    communes = locator.locate_many([(values["latitude"], values["longitude"]) for _, _, values in chunk])
    rows = []
    for (pk, external_id, values), commune_id in zip(chunk, communes, strict=True):
        x, y = mercator.to_pixels(values["latitude"], values["longitude"])
        placed = {"id": pk, "dataset_id": dataset.pk, "external_id": external_id, "x": x, "y": y}
        placed |= {"commune_id": commune_id, "removed_at": None, "first_seen": now, "updated_at": now}
        rows.append(defaults | values | placed)
    return rows


def _mark_removed(ids: list[int], now) -> int:
    for chunk in _chunks(ids):
        Camera.objects.filter(id__in=chunk).update(removed_at=now, updated_at=now)
    return len(ids)


@transaction.atomic
def import_into(
    slug: str, defaults: dict, cameras: dict[str, dict], dry_run: bool = False, refresh: dict | None = None
) -> tuple[CameraDataset, ImportSummary]:
    """Create the dataset if needed and sync it, in one transaction with the cameras.

    Refuses to mix kinds: an official list cannot overwrite an OpenStreetMap dataset.
    ``refresh`` holds dataset fields given explicitly this time (a corrected licence).
    A dry run does all the work, then rolls it back: the counts say what would happen.
    """
    dataset, created = CameraDataset.objects.select_for_update().get_or_create(slug=slug, defaults=defaults)
    if not created and dataset.kind != defaults["kind"]:
        raise ImportFailed(
            _("Dataset %(slug)s holds %(kind)s cameras; choose another --dataset.")
            % {"slug": slug, "kind": dataset.get_kind_display()}
        )
    if refresh and not created:
        CameraDataset.objects.filter(pk=dataset.pk).update(**refresh)
    summary = sync_dataset(dataset, cameras)
    transaction.set_rollback(dry_run)
    return dataset, summary
