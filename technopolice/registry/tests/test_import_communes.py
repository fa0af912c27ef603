import csv
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase

from technopolice.registry.models import Commune, Department, Region

SAMPLES = settings.BASE_DIR / "samples" / "communes"
HEADER = (
    "insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,insee_parente,"
    "lat,lng,superficie_km2,population_2021\n"
)


def expected_codes() -> set[str]:
    """The communes the file should give, counted here independently of the importer."""
    with (SAMPLES / "communes.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    codes = {r["insee_com"] for r in rows if r["commune_type"] != "COMD"}
    parents = {r["insee_parente"] for r in rows if r["commune_type"] == "ARM"}
    return codes | parents


def run(*args) -> str:
    out = StringIO()
    call_command("import_communes", *[str(a) for a in args], stdout=out, verbosity=0)
    return out.getvalue()


class ImportRealSampleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = run(SAMPLES)

    def test_it_imports_every_commune_once(self):
        codes = expected_codes()
        self.assertEqual(Commune.objects.count(), len(codes))
        self.assertEqual(set(Commune.objects.values_list("insee", flat=True)), codes)
        self.assertIn(f"{len(codes)} communes", self.output)

    def test_it_skips_delegated_communes_and_counts_them(self):
        with (SAMPLES / "communes.csv").open(encoding="utf-8") as stream:
            delegated = sum(1 for r in csv.DictReader(stream) if r["commune_type"] == "COMD")
        self.assertGreater(delegated, 0)
        self.assertIn(f"{delegated} delegated-commune rows skipped", self.output)
        # Bellegarde-sur-Valserine is a delegated commune of Valserhône (01033), not a commune.
        self.assertFalse(Commune.objects.filter(search_name="bellegarde sur valserine").exists())
        self.assertEqual(Commune.objects.get(insee="01033").name, "Valserhône")

    def test_it_rebuilds_paris_from_its_arrondissements(self):
        paris = Commune.objects.get(insee="75056")
        arrondissements = Commune.objects.filter(parent=paris)
        self.assertEqual((paris.name, paris.slug, paris.kind), ("Paris", "paris", "COM"))
        self.assertEqual(arrondissements.count(), 20)
        self.assertEqual(paris.population, sum(a.population for a in arrondissements))
        self.assertAlmostEqual(paris.area_km2, sum(a.area_km2 for a in arrondissements), places=2)
        self.assertTrue(48.84 < paris.latitude < 48.88 and 2.32 < paris.longitude < 2.37)
        self.assertIn("75116", paris.postal_codes)
        self.assertEqual(Commune.objects.get(insee="75101").kind, "ARM")

    def test_it_rebuilds_marseille_and_lyon_with_clean_names(self):
        self.assertEqual(Commune.objects.get(insee="13055").name, "Marseille")
        self.assertEqual(Commune.objects.get(insee="69123").name, "Lyon")
        self.assertEqual(Commune.objects.filter(parent__insee="13055").count(), 16)

    def test_it_displays_the_article_and_folds_the_search_name(self):
        havre = Commune.objects.get(insee="76351")
        self.assertEqual((havre.name, havre.search_name), ("Le Havre", "le havre"))
        self.assertEqual(havre.department.region.name, "Normandie")

    def test_it_gives_homonyms_unique_slugs_with_their_department(self):
        slugs = set(Commune.objects.filter(name="Saint-Denis").values_list("slug", flat=True))
        self.assertTrue({"saint-denis-93", "saint-denis-974"} <= slugs)
        self.assertEqual(Commune.objects.values("slug").distinct().count(), Commune.objects.count())

    def test_it_joins_postal_codes(self):
        self.assertEqual(Commune.objects.get(insee="93066").postal_codes, "93200, 93210")

    def test_it_imports_regions_and_departments(self):
        self.assertEqual(Region.objects.count(), 18)
        self.assertEqual(Department.objects.get(code="2A").region.code, "94")

    def test_a_second_import_updates_and_creates_nothing(self):
        Commune.objects.filter(insee="75056").update(population=1, slug="tampered")
        before = Commune.objects.count()
        output = run(SAMPLES / "communes.csv")
        self.assertEqual(Commune.objects.count(), before)
        self.assertIn("(0 created, ", output)
        paris = Commune.objects.get(insee="75056")
        self.assertEqual((paris.slug, paris.population > 2_000_000), ("paris", True))


class ImportBadFilesTests(TestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        shutil.copy(SAMPLES / "regions.csv", self.folder)
        shutil.copy(SAMPLES / "departements.csv", self.folder)

    def write_communes(self, *rows: str, header: str = HEADER) -> None:
        (self.folder / "communes.csv").write_text(header + "".join(rows), encoding="utf-8")

    def assert_refused(self, message: str) -> None:
        with self.assertRaisesMessage(CommandError, message):
            run(self.folder)
        self.assertFalse(Region.objects.exists() or Department.objects.exists() or Commune.objects.exists())

    def test_it_imports_a_small_valid_file(self):
        self.write_communes("42218,84,42,Saint-Étienne,Saint-Étienne,42000,COM,,45.43,4.39,79.97,172565\n")
        run(self.folder)
        self.assertEqual(Commune.objects.get().slug, "saint-etienne")

    def test_it_refuses_a_missing_file_and_saves_nothing(self):
        self.assert_refused("File not found")

    def test_it_refuses_wrong_columns(self):
        self.write_communes("42218;Saint-Étienne\n", header="insee_com;nom\n")
        self.assert_refused("lacks the columns")

    def test_it_refuses_a_bad_number_and_names_the_line(self):
        self.write_communes(
            "42218,84,42,Saint-Étienne,Saint-Étienne,42000,COM,,45.43,4.39,79.97,172565\n",
            "42207,84,42,Roanne,Roanne,42300,COM,,46.03,4.07,16.12,many\n",
        )
        self.assert_refused("communes.csv, line 3: 'many' in the column population_2021 is not a number")

    def test_it_refuses_an_unknown_department(self):
        self.write_communes("99999,84,99,Nowhere,Nowhere,99000,COM,,45.43,4.39,1,1\n")
        self.assert_refused("line 2: unknown code '99'")

    def test_it_refuses_an_unknown_commune_type(self):
        self.write_communes("42218,84,42,Saint-Étienne,Saint-Étienne,42000,XYZ,,45.43,4.39,79.97,172565\n")
        self.assert_refused("unknown commune_type 'XYZ'")

    def test_it_refuses_a_file_that_is_not_utf8(self):
        (self.folder / "communes.csv").write_bytes(HEADER.encode() + "42218,84,42,Ã,É\n".encode("latin-1"))
        self.assert_refused("is not UTF-8")
