from django.test import SimpleTestCase

from technopolice.search.ranking import Candidate, best_pages, idf, occurrences, scores
from technopolice.search.stemming import stem_text


def page(body: str, title: str = "Rapport", entry_id: int = 1, object_id: int = 1, number: int = 1):
    return Candidate(entry_id, "document", object_id, number, stem_text(title), stem_text(body))


class OccurrenceTests(SimpleTestCase):
    def test_it_counts_repeated_words_side_by_side(self):
        self.assertEqual(occurrences(stem_text("drones drones, drones"), ("dron",)), 3)

    def test_it_counts_whole_words_only(self):
        self.assertEqual(occurrences(stem_text("un drone, des dronistes"), ("dron",)), 1)

    def test_a_phrase_counts_where_its_words_follow_each_other(self):
        text = stem_text("centre de supervision ; le centre et la supervision ; centre de supervision")
        self.assertEqual(occurrences(text, tuple(stem_text("centre de supervision").split())), 2)
        self.assertEqual(occurrences(text, tuple(stem_text("supervision de centre").split())), 0)

    def test_side_by_side_phrases_and_phrases_overlapping_themselves_count_each_time(self):
        self.assertEqual(occurrences("a b a b x a b", ("a", "b")), 3)
        self.assertEqual(occurrences("a b a b a", ("a", "b", "a")), 2)
        self.assertEqual(occurrences("a a a", ("a", "a")), 2)

    def test_an_empty_text_holds_nothing(self):
        self.assertEqual(occurrences("", ("dron",)), 0)


class ScoreTests(SimpleTestCase):
    def rank(self, candidates, text: str, weights=None) -> list[int]:
        parts = [(s,) for s in stem_text(text).split()]
        page_scores = scores(candidates, parts, weights or [1.0] * len(parts))
        return [c.id for c, _ in sorted(zip(candidates, page_scores, strict=True), key=lambda p: -p[1])]

    def test_more_occurrences_rank_higher(self):
        once = page("Les drones survolent la ville le soir et la nuit.", entry_id=1)
        thrice = page("Les drones, drones et drones survolent la ville.", entry_id=2)
        self.assertEqual(self.rank([once, thrice], "drones"), [2, 1])

    def test_a_shorter_page_ranks_higher_for_as_many_occurrences(self):
        long = page("Les drones survolent la ville " + "et le conseil vote le budget " * 20, entry_id=1)
        short = page("Les drones survolent la ville.", entry_id=2)
        self.assertEqual(self.rank([long, short], "drones"), [2, 1])

    def test_a_title_weighs_more_than_a_body(self):
        in_body = page("Les drones survolent la ville.", title="Rapport", entry_id=1)
        in_title = page("Le conseil survole la ville.", title="Drones", entry_id=2)
        self.assertEqual(self.rank([in_body, in_title], "drones"), [2, 1])

    def test_a_rarer_word_weighs_more(self):
        # Two budgets and one drone against one budget and two drones: the rarer word decides.
        budgets = page("budget budget drones conseil", entry_id=1)
        drones = page("budget drones drones conseil", entry_id=2)
        common, rare = idf(0.9, 1000), idf(0.001, 1000)
        self.assertEqual(self.rank([budgets, drones], "budget drones", weights=[common, rare]), [2, 1])
        self.assertEqual(self.rank([budgets, drones], "budget drones", weights=[rare, common]), [1, 2])

    def test_idf_falls_as_a_word_gets_common_and_stays_positive(self):
        self.assertGreater(idf(0.01, 1000), idf(0.5, 1000))
        self.assertGreater(idf(0.5, 1000), idf(1.0, 1000))
        self.assertGreater(idf(1.0, 1000), 0)


class BestPageTests(SimpleTestCase):
    @staticmethod
    def hits(pages: list[tuple[int, int, int]], page_scores: list[float]):
        """Hits for pages given as (entry id, record id, page number) with their scores."""
        return best_pages([page("", entry_id=e, object_id=o, number=n) for e, o, n in pages], page_scores)

    def test_a_record_stands_on_its_best_page_with_its_number_of_pages(self):
        hits = self.hits([(3, 1, 3), (2, 1, 2), (1, 2, 1)], [1.0, 3.0, 2.0])
        self.assertEqual([(h.entry_id, h.score, h.pages_matched) for h in hits], [(2, 3.0, 2), (1, 2.0, 1)])

    def test_ties_go_to_the_first_page_and_the_oldest_record(self):
        hits = self.hits([(9, 2, 2), (8, 2, 1), (5, 1, 1)], [1.0, 1.0, 1.0])
        self.assertEqual([h.entry_id for h in hits], [5, 8])
