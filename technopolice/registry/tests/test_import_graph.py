import csv
import shutil
import tempfile
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils.text import slugify

from technopolice.lib.text import fold
from technopolice.registry.importers.attributions import GRAPH_DATASET
from technopolice.registry.models import Organisation, OrganisationLink, Technology

SAMPLES = settings.BASE_DIR / "samples"
GRAPH = SAMPLES / "technopolice-graph"


def rows(name: str) -> list[dict]:
    with (GRAPH / name).open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def technology_names() -> set[str]:
    names = set()
    for tech in Technology.objects.all():
        names |= {fold(a) for a in tech.aliases.splitlines()} | {fold(tech.name_fr), fold(tech.name_en)}
    return names


def run(folder: Path = GRAPH) -> str:
    out = StringIO()
    call_command("import_graph", str(folder), stdout=out, stderr=StringIO())
    return out.getvalue()


class ImportGraphTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        call_command("import_communes", str(SAMPLES / "communes"), stdout=StringIO(), verbosity=0)
        cls.output = run()

    def org(self, name: str) -> Organisation:
        return Organisation.objects.get(slug=slugify(name))

    def test_it_imports_each_organisation_once_and_technology_nodes_as_technologies(self):
        nodes = rows("nodes.csv")
        techs = {n["id"] for n in nodes if n["category"] == "null" and fold(n["label"]) in technology_names()}
        self.assertIn("VSA", techs)
        self.assertIn("reconnaissance faciale", techs)
        names = {slugify(n["label"].replace("\u00ad", "")) for n in nodes if n["id"] not in techs}
        self.assertEqual(Organisation.objects.count(), len(names))
        self.assertFalse(Organisation.objects.filter(name__in=techs).exists())

    def test_it_imports_every_edge_between_organisations_as_a_link(self):
        techs = {n["id"] for n in rows("nodes.csv") if fold(n["label"]) in technology_names()}
        links = [e for e in rows("edges.csv") if e["source"] not in techs and e["target"] not in techs]
        self.assertEqual(OrganisationLink.objects.count(), len(links))

    def test_it_reports_the_typo_with_its_line_and_a_suggestion(self):
        self.assertIn(
            "nodes.csv line 63: 'ville de Nime': no commune of that name; did you mean Nîmes (30)?",
            self.output,
        )
        self.assertIsNone(self.org("ville de Nime").commune)
        self.assertEqual(self.org("ville de Nîmes").commune.insee, "30189")

    def test_it_does_not_guess_between_homonyms(self):
        self.assertIn("'ville de Saint-Denis': several communes are named so:", self.output)
        self.assertIn("Saint-Denis (93) [93066]", self.output)
        self.assertIsNone(self.org("ville de Saint-Denis").commune)

    def test_it_strips_soft_hyphens_and_merges_the_two_spellings(self):
        spellings = [
            n["label"]
            for n in rows("nodes.csv")
            if fold(n["label"].replace("\u00ad", "")) == "ville de saint etienne"
        ]
        self.assertEqual(len(spellings), 2)
        self.assertTrue(any("\u00ad" in s for s in spellings))
        town = Organisation.objects.get(search_text="ville de saint etienne")
        self.assertEqual(
            (town.name, town.commune.insee, town.kind), ("ville de Saint-Etienne", "42218", "public_body")
        )
        self.assertIn("same organisation as line 75, merged", self.output)

    def test_it_prefers_the_commune_over_its_arrondissements(self):
        self.assertEqual(self.org("ville de Paris").commune.insee, "75056")
        self.assertEqual(self.org("ville du Havre").commune.name, "Le Havre")

    def test_it_maps_categories_to_kinds(self):
        self.assertEqual(self.org("AN2V").kind, "lobby")
        self.assertEqual(self.org("WINTICS").kind, "vendor")
        self.assertEqual(self.org("CANON").kind, "shareholder")
        self.assertEqual(self.org("UGAP").kind, "other")
        self.assertEqual(self.org("ville de Valenciennes").kind, "public_body")

    def test_it_orients_links_subject_to_object(self):
        def has(subject, relation, obj):
            return OrganisationLink.objects.filter(
                subject=self.org(subject), relation=relation, object=self.org(obj)
            ).exists()

        self.assertTrue(has("ADP", "client_of", "WINTICS"))
        self.assertTrue(has("VIDETICS", "used_by", "ville de Cannes"))  # written the other way round
        self.assertTrue(has("HUAWEI", "used_by", "ville de Valenciennes"))
        self.assertTrue(has("CANON", "shareholder_of", "BRIEFCAM"))
        self.assertTrue(has("CHAPSVISION", "lobbies", "HATVP"))  # "fait du lobbbying"
        self.assertTrue(has("GENETEC", "member_of", "PERIFEM"))  # "est membre de"
        self.assertTrue(has("WINTICS", "bidder_for", "Marché JOP"))
        self.assertIn("'ATOS → EVIDEN': direction kept as written", self.output)

    def test_it_links_vendors_to_their_technologies(self):
        self.assertEqual(
            set(self.org("BRIEFCAM").technologies.values_list("slug", flat=True)),
            {"algorithmic-video-surveillance", "facial-recognition"},
        )
        self.assertIn("cctv", self.org("HIKVISION").technologies.values_list("slug", flat=True))

    def test_it_keeps_urls_splits_pairs_and_reports_bare_file_names(self):
        link = OrganisationLink.objects.get(subject=self.org("ADP"), object=self.org("WINTICS"))
        self.assertTrue(link.source_is_url)
        paired = OrganisationLink.objects.exclude(other_sources="")
        self.assertTrue(paired.exists())
        self.assertTrue(
            all("|" not in x.source_url + x.other_sources for x in OrganisationLink.objects.all())
        )
        self.assertIn(
            "source 'fiche_15485_Références_CAPT_IMMAT.pdf' is a file name, not a link", self.output
        )
        bare = OrganisationLink.objects.get(subject=self.org("Aéroport de Beauvais"))
        self.assertEqual(
            (bare.source_url, bare.source_is_url), ("fiche_15485_Références_CAPT_IMMAT.pdf", False)
        )

    def test_it_stores_the_dataset_attribution(self):
        self.assertIn("AGPL-3.0", GRAPH_DATASET)
        self.assertFalse(Organisation.objects.exclude(dataset=GRAPH_DATASET).exists())
        self.assertFalse(OrganisationLink.objects.exclude(dataset=GRAPH_DATASET).exists())

    def test_a_second_import_creates_nothing(self):
        counts = (Organisation.objects.count(), OrganisationLink.objects.count())
        output = run()
        self.assertEqual((Organisation.objects.count(), OrganisationLink.objects.count()), counts)
        self.assertIn("organisations (0 created)", output)
        self.assertIn("links (0 created)", output)


class ImportBadGraphTests(TestCase):
    def setUp(self) -> None:
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def test_it_refuses_a_missing_file(self):
        with self.assertRaisesMessage(CommandError, "File not found"):
            run(self.folder)

    def test_it_refuses_wrong_columns_and_saves_nothing(self):
        shutil.copy(GRAPH / "nodes.csv", self.folder)
        (self.folder / "edges.csv").write_text("from,to\nA,B\n", encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "lacks the columns source, target, type, url"):
            run(self.folder)
        self.assertFalse(Organisation.objects.exists())

    def test_it_reports_unknown_types_and_ends_and_goes_on(self):
        (self.folder / "nodes.csv").write_text("id,label,category\nA,A,Acteur privé\nB,B,Acteur public\n")
        (self.folder / "edges.csv").write_text(
            "source,target,type,url\nA,B,aime bien,\nA,Z,est membre,\nB,A,a pour client,https://example.org/x\n"
        )
        output = run(self.folder)
        self.assertIn("edges.csv line 2: 'A → B': unknown type 'aime bien', skipped", output)
        self.assertIn("edges.csv line 3: 'A → Z': an end is not in nodes.csv, skipped", output)
        self.assertEqual(str(OrganisationLink.objects.get()), "B is a client of A")
