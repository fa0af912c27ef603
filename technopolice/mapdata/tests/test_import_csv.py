import csv
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase

from ..importers.csv_lists import parse_date
from ..models import Camera, CameraDataset, DatasetKind
from .importing import PARIS, run, snapshot

PARIS_OPTIONS = {
    "lon": "lon",
    "lat": "lat",
    "identifier": "Numéro",
    "map": ["start_date=Date de mise en service"],
    "dataset": "paris",
    "name": "Vidéoprotection, Préfecture de police",
    "licence": "Acte public",
    "attribution": "Ville de Paris, géocodage ColinMaudry",
}


def paris_rows() -> list[dict]:
    with open(PARIS, encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


class ParisListTests(TestCase):
    def test_the_real_paris_list_imports(self):
        out = run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        self.assertIn("707 sites, 0 rows skipped. 707 added", out)
        dataset = CameraDataset.objects.get(slug="paris")
        self.assertEqual((dataset.kind, dataset.licence), (DatasetKind.OFFICIAL, "Acte public"))
        self.assertEqual(dataset.cameras.count(), 707)
        self.assertEqual(set(dataset.cameras.values_list("surveillance_type", flat=True)), {"camera"})

    def test_its_messy_dates_are_read_and_kept_as_written(self):
        run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        written = {row["Numéro"]: row["Date de mise en service"] for row in paris_rows()}
        cameras = {c.external_id: c for c in Camera.objects.all()}
        for raw, expected in [("08/07/16", "2016-07-08"), ("40898", "2011-12-21"), ("Début 2019", "2019"),
                              ("inconnue", ""), ("#N/A", "")]:  # fmt: skip
            number = next(n for n, date in written.items() if date == raw)
            with self.subTest(raw=raw):
                self.assertEqual(cameras[number].start_date, expected)
                self.assertEqual(cameras[number].tags["Date de mise en service"], raw)
        self.assertEqual(cameras["1051"].tags["Implantation"], "Rue Saint-Denis, rue de Rivoli")

    def test_a_second_import_changes_nothing(self):
        run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        out = run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        self.assertIn("0 added, 0 changed, 0 removed, 707 unchanged", out)

    def test_a_reimport_updates_the_dataset_details_given_again(self):
        run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        run("import_cameras_csv", PARIS, **{**PARIS_OPTIONS, "licence": "Licence Ouverte 2.0", "name": None})
        dataset = CameraDataset.objects.get()
        self.assertEqual((dataset.licence, dataset.name), ("Licence Ouverte 2.0", PARIS_OPTIONS["name"]))

    def test_a_dry_run_changes_nothing(self):
        out = run("import_cameras_csv", PARIS, dry_run=True, **PARIS_OPTIONS)
        self.assertIn("707 added", out)
        self.assertFalse(CameraDataset.objects.exists())

    def test_a_wrong_column_lists_the_available_ones_and_changes_nothing(self):
        run("import_cameras_csv", PARIS, **PARIS_OPTIONS)
        before = snapshot()
        message = f"Column(s) longitude, Date not found in {PARIS}. Available columns: Code postal, Numéro,"
        with self.assertRaisesMessage(CommandError, message):
            run(
                "import_cameras_csv",
                PARIS,
                **{**PARIS_OPTIONS, "lon": "longitude", "map": ["start_date=Date"]},
            )
        with self.assertRaisesMessage(CommandError, "--map expects FIELD=COLUMN with FIELD one of: operator"):
            run("import_cameras_csv", PARIS, **{**PARIS_OPTIONS, "map": ["colour=lon"]})
        self.assertEqual(snapshot(), before)


class OtherListTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def write(self, text: str, encoding="utf-8") -> Path:
        path = self.folder / "Liste caméras Nîmes.csv"
        path.write_text(text, encoding=encoding)
        return path

    def test_bad_rows_are_reported_by_line_and_the_others_imported(self):
        path = self.write(
            "x,y,site\n4.36,43.83,Arènes\n4.37,,Gare\nabc,43.84,Jardins\n4.38,43.85,Maison Carrée\n"
        )
        err = StringIO()
        out = run("import_cameras_csv", path, lon="x", lat="y", map=["operator=site"], stderr=err)
        self.assertIn("2 sites, 2 rows skipped. 2 added", out)
        self.assertIn("line 3: no valid latitude ('')", err.getvalue())
        self.assertIn("line 4: no valid longitude ('abc')", err.getvalue())
        self.assertEqual(set(Camera.objects.values_list("operator", flat=True)), {"Arènes", "Maison Carrée"})
        self.assertEqual(CameraDataset.objects.get().slug, "liste-cameras-nimes")

    def test_windows_1252_decimal_commas_and_matching_by_position(self):
        path = self.write(
            "lat;lon;opérateur\n43,83;4,36;Ville\n43,84;4,37;Ville\n43,84;4,37;Ville\n", "cp1252"
        )
        run("import_cameras_csv", path, lon="lon", lat="lat", map=["operator=opérateur"])
        self.assertEqual(
            set(Camera.objects.values_list("external_id", "latitude")),
            {
                ("43.8300000,4.3600000", 43.83),
                ("43.8400000,4.3700000", 43.84),
                ("43.8400000,4.3700000#2", 43.84),
            },
        )
        path = self.write("lat;lon;opérateur\n43,83;4,36;Police\n43,85;4,38;Ville\n", "cp1252")
        out = run("import_cameras_csv", path, lon="lon", lat="lat", map=["operator=opérateur"])
        self.assertIn("1 added, 1 changed, 2 removed, 0 unchanged", out)

    def test_a_file_without_any_position_changes_nothing(self):
        before = snapshot()
        with self.assertRaisesMessage(CommandError, "has a valid position: nothing imported"):
            run("import_cameras_csv", self.write("lon;lat\n;\n"), lon="lon", lat="lat")
        with self.assertRaisesMessage(CommandError, "is empty"):
            run("import_cameras_csv", self.write(""), lon="lon", lat="lat")
        self.assertEqual(snapshot(), before)

    def test_a_file_that_is_not_text_changes_nothing(self):
        path = self.folder / "list.csv"
        path.write_bytes(b'lon;lat;note\n4;43;"' + b"x" * 200_000 + b'"\n')
        with self.assertRaisesMessage(
            CommandError, "is not a readable CSV file (field larger than field limit"
        ):
            run("import_cameras_csv", path, lon="lon", lat="lat")
        path.write_bytes(b"lon;lat\n4;43;\x81\x8d\xc3\n")
        with self.assertRaisesMessage(CommandError, "is neither UTF-8 nor Windows-1252 text"):
            run("import_cameras_csv", path, lon="lon", lat="lat")
        self.assertFalse(Camera.objects.exists())

    def test_it_refuses_to_overwrite_an_osm_dataset(self):
        CameraDataset.objects.create(slug="osm", kind=DatasetKind.OSM, name="OpenStreetMap")
        with self.assertRaisesMessage(CommandError, "choose another --dataset"):
            run("import_cameras_csv", self.write("lon;lat\n4;43\n"), lon="lon", lat="lat", dataset="osm")
        self.assertFalse(Camera.objects.exists())

    def test_the_command_needs_its_columns(self):
        with self.assertRaisesMessage(CommandError, "the following arguments are required: --lon, --lat"):
            call_command("import_cameras_csv", str(PARIS))


class DateTests(SimpleTestCase):
    def test_lenient_dates(self):
        for raw, expected in [
            ("08/07/16", "2016-07-08"), ("8/7/2016", "2016-07-08"), ("31.12.1999", "1999-12-31"),
            ("2016-07-08", "2016-07-08"), ("2016-07", "2016-07"), ("2016", "2016"),
            ("2016-07-08T10:00:00", "2016-07-08"), ("40898", "2011-12-21"), ("Début 2019", "2019"),
            ("inconnue", ""), ("#N/A", ""), ("31/02/16", ""), ("", ""), ("2012 ou 2013", ""),
        ]:  # fmt: skip
            with self.subTest(raw=raw):
                self.assertEqual(parse_date(raw), expected)
