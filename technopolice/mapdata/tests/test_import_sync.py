from django.test import TestCase

from ..importers import CameraRecord
from ..importers.sync import import_into, read_all
from ..importers.tags import camera_fields
from ..models import Camera, CameraDataset

OSM = {"kind": "osm", "name": "OpenStreetMap"}


class FastInsertTests(TestCase):
    def test_every_field_reads_back_as_if_the_orm_had_saved_it(self):
        """Guards the raw insert against fields added later (photos, dates...)."""
        tags = {"man_made": "surveillance", "operator": "Ville", "camera:direction": "0;180"}
        record = CameraRecord("node/1", 45.4339, 4.3897, tags, camera_fields(tags), "node", 1, 3)
        dataset, _ = import_into("osm", {"slug": "osm", **OSM}, read_all([record]))
        inserted = Camera.objects.get(external_id="node/1")
        twin = Camera(dataset=dataset, external_id="twin", **read_all([record])["node/1"])
        twin.commune_id, twin.removed_at = inserted.commune_id, inserted.removed_at
        twin.save()
        twin.refresh_from_db()
        skipped = {"id", "external_id", "first_seen", "updated_at"}
        for field in Camera._meta.concrete_fields:
            if field.name not in skipped:
                with self.subTest(field=field.name):
                    self.assertEqual(field.value_from_object(inserted), field.value_from_object(twin))
        self.assertEqual(inserted.first_seen, CameraDataset.objects.get().imported_at)
        self.assertEqual(inserted.updated_at, inserted.first_seen)

    def test_records_with_the_same_id_keep_the_last(self):
        first = CameraRecord("node/1", 1.0, 2.0, {})
        second = CameraRecord("node/1", 3.0, 4.0, {})
        self.assertEqual(read_all([first, second])["node/1"]["latitude"], 3.0)
