from django.test import SimpleTestCase

from technopolice.registry.importers.graph import clean
from technopolice.registry.importers.matching import CommuneIndex, Entry, town_name

INDEX = CommuneIndex(
    [
        Entry("75056", "Paris", "COM", "75"),
        Entry("30189", "Nîmes", "COM", "30"),
        Entry("76351", "Le Havre", "COM", "76"),
        Entry("93066", "Saint-Denis", "COM", "93"),
        Entry("97411", "Saint-Denis", "COM", "974"),
        Entry("92044", "Levallois-Perret", "COM", "92"),
        Entry("99001", "Quartier", "ARM", "99"),
        Entry("99002", "Quartier", "COM", "99"),
    ]
)


class TownNameTests(SimpleTestCase):
    def test_it_reads_the_article_into_the_name(self):
        self.assertEqual(town_name("ville du Havre"), ("Havre", "le havre"))
        self.assertEqual(town_name("Mairie des Lilas"), ("Lilas", "les lilas"))
        self.assertEqual(town_name("commune d'Ajaccio")[1], "ajaccio")
        self.assertEqual(town_name("ville de Chartres Métropole")[1], "chartres")

    def test_it_ignores_names_that_are_not_town_councils(self):
        self.assertIsNone(town_name("Préfecture de Police de Paris"))
        self.assertIsNone(town_name("Villeneuve"))


class ResolveTests(SimpleTestCase):
    def test_it_matches_one_commune_whatever_the_accents_and_case(self):
        self.assertEqual(INDEX.resolve("VILLE DE NIMES").commune.insee, "30189")
        self.assertEqual(INDEX.resolve("ville du Havre").commune.insee, "76351")

    def test_it_prefers_a_commune_over_an_arrondissement(self):
        self.assertEqual(INDEX.resolve("ville de Quartier").commune.insee, "99002")

    def test_it_lists_homonyms_instead_of_guessing(self):
        resolution = INDEX.resolve("ville de Saint-Denis")
        self.assertIsNone(resolution.commune)
        self.assertIn("Saint-Denis (93) [93066], Saint-Denis (974) [97411]", resolution.problem)

    def test_it_suggests_a_spelling_or_a_longer_name(self):
        self.assertIn("did you mean Nîmes (30)?", INDEX.resolve("ville de Nime").problem)
        self.assertIn("Levallois-Perret (92)", INDEX.resolve("ville de Levallois").problem)
        self.assertEqual(INDEX.resolve("ville de Zzz").problem, "no commune of that name")


class CleanTests(SimpleTestCase):
    def test_it_removes_soft_hyphens_and_odd_spaces(self):
        self.assertEqual(clean("ville de Saint\u00ad-Etienne"), "ville de Saint-Etienne")
        self.assertEqual(clean(" ville\u00a0de\tBé\u00adthune  "), "ville de Béthune")
