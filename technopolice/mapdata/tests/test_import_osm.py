import json
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import osmium
from django.core.management.base import CommandError
from django.test import TestCase

from .. import mercator
from ..models import Camera, CameraDataset, DatasetKind
from .importing import MONACO, run, snapshot

CHANGED, DELETED = 6473583428, 6480060593
ADDED = 9_000_000_001


def cameras_found_by_osmium_tool(path: Path) -> set[str]:
    """The reference: the ids `osmium tags-filter` keeps, read from its XML output."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder, "cameras.osm")
        # osmium-tool (system-packages.txt) on PATH, with fixed arguments: the independent reference.
        command = ["osmium", "tags-filter", "-R", str(path), "nwr/man_made=surveillance", "-o", str(output)]
        subprocess.run(command, check=True)  # noqa: S603, S607
        root = ET.parse(output).getroot()  # noqa: S314 - osmium-tool's own output
    return {f"{e.tag}/{e.get('id')}" for e in root if e.tag in ("node", "way", "relation")}


def write_modified_copy(source: Path, target: Path) -> None:
    """Monaco with one camera retagged, one deleted and one added, written by pyosmium."""
    with osmium.SimpleWriter(str(target)) as writer:
        for element in osmium.FileProcessor(str(source)):
            if element.is_node() and element.id == DELETED:
                continue
            if element.is_node() and element.id == CHANGED:
                element = element.replace(tags={**dict(element.tags), "operator": "Ville"}, version=2)
            writer.add(element)
        tags = {"man_made": "surveillance", "camera:direction": "NE;SW"}
        writer.add_node(osmium.osm.mutable.Node(id=ADDED, version=1, location=(7.42, 43.73), tags=tags))


class ImportOsmTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def ids(self, **filters) -> set[str]:
        return set(Camera.objects.filter(**filters).values_list("external_id", flat=True))

    def test_it_imports_exactly_the_cameras_osmium_tool_finds(self):
        out = run("import_osm", MONACO)
        expected = cameras_found_by_osmium_tool(MONACO)
        self.assertEqual(len(expected), 10)
        self.assertEqual(self.ids(), expected)
        self.assertIn("10 added, 0 changed, 0 removed, 0 unchanged", out)
        dataset = CameraDataset.objects.get(slug="osm")
        self.assertEqual((dataset.kind, dataset.licence), (DatasetKind.OSM, "ODbL 1.0"))

    def test_it_keeps_the_scheme_tags_in_their_fields(self):
        run("import_osm", MONACO)
        camera = Camera.objects.get(external_id="node/6459866647")
        self.assertEqual((camera.osm_type, camera.osm_id, camera.osm_version), ("node", 6459866647, 1))
        self.assertEqual((camera.latitude, camera.longitude), (43.7332957, 7.4155145))
        self.assertEqual(
            (camera.camera_type, camera.camera_mount, camera.surveillance), ("fixed", "pole", "outdoor")
        )
        self.assertEqual((camera.directions, camera.direction_raw), ([240], "240"))
        self.assertEqual(camera.tags["source"], "survey 2019")
        self.assertEqual((camera.x, camera.y), mercator.to_pixels(camera.latitude, camera.longitude))
        # Rows written by the fast insert read back like the ORM's own: JSON queryable, dates aware.
        self.assertEqual(Camera.objects.filter(tags__source="survey 2019", directions__0=240).get(), camera)
        self.assertEqual(camera.first_seen, CameraDataset.objects.get().imported_at)
        self.assertEqual(camera.commune, None)

    def test_a_second_import_of_the_same_file_changes_nothing(self):
        run("import_osm", MONACO)
        before = snapshot()
        out = run("import_osm", MONACO)
        self.assertIn("0 added, 0 changed, 0 removed, 10 unchanged", out)
        after = snapshot()
        # Only the dataset's last-import time moves.
        before[0][0].pop("imported_at"), after[0][0].pop("imported_at")
        self.assertEqual(before, after)

    def test_a_newer_extract_adds_changes_and_removes(self):
        run("import_osm", MONACO)
        modified = self.folder / "monaco-modified.osm.pbf"
        write_modified_copy(MONACO, modified)
        out = run("import_osm", modified)
        self.assertIn("1 added, 1 changed, 1 removed, 8 unchanged", out)
        self.assertEqual(Camera.objects.get(osm_id=CHANGED).operator, "Ville")
        self.assertEqual(Camera.objects.get(osm_id=ADDED).directions, [45, 225])
        self.assertIsNotNone(Camera.objects.get(osm_id=DELETED).removed_at)
        self.assertEqual(Camera.objects.visible().count(), 10)

    def test_a_dry_run_reports_the_counts_and_changes_nothing(self):
        run("import_osm", MONACO)
        modified = self.folder / "monaco-modified.osm.pbf"
        write_modified_copy(MONACO, modified)
        before = snapshot()
        out = run("import_osm", modified, dry_run=True)
        self.assertIn("1 added, 1 changed, 1 removed, 8 unchanged", out)
        self.assertIn("Dry run: nothing was changed.", out)
        self.assertEqual(snapshot(), before)

    def test_going_back_to_the_older_extract_reverses_the_counts(self):
        modified = self.folder / "monaco-modified.osm.pbf"
        write_modified_copy(MONACO, modified)
        run("import_osm", modified)
        out = run("import_osm", MONACO)
        self.assertIn("1 added, 1 changed, 1 removed, 8 unchanged", out)
        self.assertEqual(Camera.objects.get(osm_id=CHANGED).operator, "")
        self.assertIsNotNone(Camera.objects.get(osm_id=ADDED).removed_at)

    def test_a_file_back_after_removal_is_reported_as_restored(self):
        run("import_osm", MONACO)
        modified = self.folder / "monaco-modified.osm.pbf"
        write_modified_copy(MONACO, modified)
        run("import_osm", modified)
        out = run("import_osm", MONACO)
        self.assertIn("0 added, 1 changed, 1 removed, 8 unchanged, 1 back after being removed", out)
        self.assertIsNone(Camera.objects.get(osm_id=DELETED).removed_at)

    def test_node_locations_can_live_on_disk_for_big_extracts(self):
        cache = self.folder / "nodes.cache"
        run("import_osm", MONACO, node_locations=f"sparse_file_array,{cache}")
        self.assertEqual(Camera.objects.count(), 10)
        self.assertTrue(cache.exists())
        with self.assertRaisesMessage(CommandError, "Unusable node location storage 'bogus'"):
            run("import_osm", MONACO, node_locations="bogus")

    def test_it_reads_osm_xml_whatever_its_name(self):
        xml = self.folder / "cameras.data"
        xml.write_text(
            """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" version="1" lat="48.0" lon="2.0"/><node id="2" version="1" lat="48.0" lon="2.002"/>
 <node id="3" version="1" lat="48.002" lon="2.002"/><node id="4" version="1" lat="48.002" lon="2.0"/>
 <node id="5" version="3" lat="48.1" lon="2.1"><tag k="man_made" v="surveillance"/></node>
 <way id="10" version="2"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>
  <tag k="man_made" v="surveillance"/><tag k="surveillance:zone" v="parking"/></way>
 <way id="11" version="1"><nd ref="1"/><nd ref="2"/><nd ref="999"/><tag k="man_made" v="surveillance"/></way>
 <way id="12" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
 <way id="13" version="1"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
 <relation id="20" version="4">
  <member type="way" ref="12" role="outer"/><member type="way" ref="13" role="outer"/>
  <tag k="type" v="multipolygon"/><tag k="man_made" v="surveillance"/></relation>
 <relation id="21" version="1"><member type="node" ref="5" role=""/>
  <tag k="type" v="site"/><tag k="man_made" v="surveillance"/></relation>
</osm>""",
            encoding="utf-8",
        )
        run("import_osm", xml)
        # The site relation has no geometry of its own: like osmium's area assembler, it is skipped.
        self.assertEqual(self.ids(), {"node/5", "way/10", "way/11", "relation/20"})
        way = Camera.objects.get(external_id="way/10")
        self.assertAlmostEqual(way.latitude, 48.001, places=6)
        self.assertAlmostEqual(way.longitude, 2.001, places=6)
        self.assertEqual((way.osm_type, way.zone, way.osm_version), ("way", "parking", 2))
        cut = Camera.objects.get(external_id="way/11")  # node 999 is outside the extract
        self.assertEqual((cut.latitude, cut.longitude), (48.0, 2.001))
        area = Camera.objects.get(external_id="relation/20")
        self.assertEqual((area.osm_type, area.osm_id, area.osm_version), ("relation", 20, 4))
        self.assertAlmostEqual(area.latitude, 48.001, places=6)


class OverpassTests(TestCase):
    ELEMENTS = [
        {"type": "node", "id": 1, "lat": 43.73, "lon": 7.42, "tags": {"man_made": "surveillance"}},
        {"type": "node", "id": 2, "lat": 43.74, "lon": 7.43, "tags": {"amenity": "bench"}},
        {
            "type": "way",
            "id": 3,
            "geometry": [{"lat": 43.0, "lon": 7.0}, {"lat": 43.0, "lon": 7.2}],
            "tags": {"man_made": "surveillance", "camera:direction": "90-180"},
        },
        {"type": "way", "id": 4, "center": {"lat": 43.5, "lon": 7.5}, "tags": {"man_made": "surveillance"}},
        {
            "type": "relation",
            "id": 5,
            "bounds": {"minlat": 43.0, "minlon": 7.0, "maxlat": 43.2, "maxlon": 7.4},
            "tags": {"man_made": "surveillance"},
        },
    ]

    def test_odd_elements_are_skipped_not_fatal(self):
        odd = [
            {"type": "node", "id": "abc", "lat": 43.7, "lon": 7.4, "tags": {"man_made": "surveillance"}},
            {"type": "node", "id": 7, "lat": 143.7, "lon": 7.4, "tags": {"man_made": "surveillance"}},
            {"type": "node", "id": 8, "lat": 43.7, "lon": 7.4, "tags": ["man_made"]},
            {"type": "node", "id": 9, "lat": "x", "lon": 7.4, "tags": {"man_made": "surveillance"}},
            {
                "type": "node",
                "id": 10,
                "version": "v2",
                "lat": 43.7,
                "lon": 7.4,
                "tags": {"man_made": "surveillance"},
            },
        ]
        self.import_json({"elements": odd})
        self.assertEqual(list(Camera.objects.values_list("external_id", "osm_version")), [("node/10", None)])

    def import_json(self, data) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            json.dump(data, handle)
        self.addCleanup(Path(handle.name).unlink)
        return run("import_osm", handle.name)

    def check_imported(self):
        self.assertEqual(Camera.objects.count(), 4)
        way = Camera.objects.get(external_id="way/3")
        self.assertEqual(
            (way.latitude, way.longitude, way.directions, way.direction_raw), (43.0, 7.1, [135], "90-180")
        )
        self.assertEqual(Camera.objects.get(external_id="way/4").latitude, 43.5)
        relation = Camera.objects.get(external_id="relation/5")
        self.assertEqual((relation.latitude, relation.longitude), (43.1, 7.2))

    def test_it_reads_the_api_answer(self):
        self.import_json({"version": 0.6, "elements": self.ELEMENTS})
        self.check_imported()

    def test_it_reads_a_bare_list_of_elements(self):
        self.import_json(self.ELEMENTS)
        self.check_imported()


class BadFileTests(TestCase):
    """Every unreadable file stops with a clear message and leaves the previous import intact."""

    def setUp(self):
        run("import_osm", MONACO)
        self.before = snapshot()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def assert_refused(self, content: bytes, message: str):
        path = self.folder / "extract.osm.pbf"
        path.write_bytes(content)
        with self.assertRaisesMessage(CommandError, message):
            run("import_osm", path)
        self.assertEqual(snapshot(), self.before)

    def test_a_truncated_pbf(self):
        data = MONACO.read_bytes()
        self.assert_refused(data[: len(data) * 2 // 3], "is corrupt or truncated")

    def test_invalid_xml(self):
        self.assert_refused(
            b'<?xml version="1.0"?><osm version="0.6"><node id="1" lat="1"', "is corrupt or truncated"
        )

    def test_json_that_is_not_overpass(self):
        self.assert_refused(
            b'{"type": "FeatureCollection", "features": []}', "is JSON but not an Overpass answer"
        )

    def test_json_elements_that_are_not_osm(self):
        self.assert_refused(b'[{"name": "camera"}]', "is not an Overpass element")

    def test_broken_json(self):
        self.assert_refused(b'{"elements": [', "is not valid JSON")

    def test_an_empty_file(self):
        self.assert_refused(b"", "is empty")

    def test_something_else(self):
        self.assert_refused(b"insee;lat;lon\n", "is neither OSM PBF, OSM XML nor Overpass JSON")

    def test_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "No such file or directory"):
            run("import_osm", self.folder / "missing.osm.pbf")
        self.assertEqual(snapshot(), self.before)

    def test_a_dataset_of_another_kind(self):
        CameraDataset.objects.create(slug="paris", kind=DatasetKind.OFFICIAL, name="Paris")
        before = snapshot()
        with self.assertRaisesMessage(CommandError, "choose another --dataset"):
            run("import_osm", MONACO, dataset="paris")
        self.assertEqual(snapshot(), before)
