"""The dossier list's text search (registry.filters.matching_text): every folded word of the
query is part of the dossier's folded text, under every sort, with and without other filters."""

from django.db.models import Q

from technopolice.lib.text import words
from technopolice.registry.filters import filter_dossiers, sort_dossiers
from technopolice.registry.models import Dossier
from technopolice.registry.views.browse import listed_dossiers
from technopolice.testing.cases import BaseTestCase

from .factories import DossierFactory
from .world import build_world


class WordRuleTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        texts = {3: "cameras a nice", 7: "drones nice nice", 9: "micros a saint etienne", 12: ""}
        cls.numbers = {}
        for number, text in texts.items():
            dossier = DossierFactory(slug=f"text-{number}")
            Dossier.objects.filter(pk=dossier.pk).update(search_text=text)
            cls.numbers[dossier.pk] = number

    def matching(self, query_words: list[str]) -> set[int]:
        found = filter_dossiers(Dossier.objects.all(), {"q": " ".join(query_words)})
        return {self.numbers[pk] for pk in found.values_list("pk", flat=True)}

    def test_it_finds_the_dossiers_holding_every_word_even_inside_a_longer_one(self):
        self.assertEqual(self.matching(["nice"]), {3, 7})
        self.assertEqual(self.matching(["nice", "drone"]), {7})
        self.assertEqual(self.matching(["tienne", "a"]), {9})
        self.assertEqual(self.matching(["a", "nice"]), {3})
        self.assertEqual(self.matching(["ni"]), {3, 7})

    def test_a_word_is_never_found_across_two_words(self):
        self.assertEqual(self.matching(["nicedrones"]), set())
        self.assertEqual(self.matching(["anice"]), set())

    def test_the_last_word_and_an_empty_text_are_read_like_the_others(self):
        self.assertEqual(self.matching(["etienne"]), {9})
        self.assertEqual(self.matching(["absent"]), set())

    def test_no_word_matches_every_dossier(self):
        self.assertEqual(self.matching([]), {3, 7, 9, 12})


class TextSearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def searched(self, query: str, **data) -> list[str]:
        """The list's own answer: its filters, then its sort."""
        found = sort_dossiers(filter_dossiers(listed_dossiers(), {"q": query, **data}), data.get("sort"))
        slugs = dict(Dossier.objects.values_list("pk", "slug"))
        return [slugs[pk] for pk in found.values_list("pk", flat=True)]

    def scanned(self, query: str, **data) -> list[str]:
        """The rule stated on its own: the folded text contains every folded word."""
        condition = Q()
        for word in words(query):
            condition &= Q(search_text__contains=word)
        queryset = filter_dossiers(Dossier.objects.filter(condition), data)
        return list(sort_dossiers(queryset, data.get("sort")).values_list("slug", flat=True))

    def test_it_finds_what_a_scan_of_the_texts_finds_in_the_same_order(self):
        texts = Dossier.objects.values_list("search_text", flat=True)
        vocabulary = sorted({word for text in texts for word in text.split()})
        queries = vocabulary + [word[1:-1] for word in vocabulary if len(word) > 3]
        queries += [f"{a} {b}" for a, b in zip(vocabulary, vocabulary[3:], strict=False)]
        queries += ["VIDÉO-surveillance Nice", "saint etienne", "nowhere", ""]
        others = [{}, {"sort": "name"}, {"sort": "-date"}, {"sort": "place"}, {"region": self.ara}]
        others += [{"technology": self.drones, "sort": "name"}, {"status": "deployed"}]
        for query in queries:
            for data in others:
                with self.subTest(query=query, **data):
                    self.assertEqual(self.searched(query, **data), self.scanned(query, **data))

    def test_a_new_or_edited_dossier_is_found_by_the_next_search(self):
        self.assertEqual(self.searched("lampadaires"), [])
        dossier = DossierFactory(title="Lampadaires à micros", slug="lampadaires")
        self.assertEqual(self.searched("lampadaires"), ["lampadaires"])
        dossier.title = "Bancs connectés"
        dossier.save()
        dossier.reindex()
        self.assertEqual(self.searched("lampadaires"), [])
        self.assertEqual(self.searched("bancs connectes"), ["lampadaires"])
        Dossier.objects.filter(pk=dossier.pk).update(search_text="poteaux")  # bulk: no save()
        self.assertEqual(self.searched("poteaux"), ["lampadaires"])

    def test_the_order_follows_a_change_of_date(self):
        first = self.searched("drones")
        self.assertGreaterEqual(len(first), 2, first)
        Dossier.objects.filter(slug=first[-1]).update(start_date="2031-01-01")
        self.assertEqual(self.searched("drones"), [first[-1], *first[:-1]])

    def test_the_place_order_follows_a_renamed_region_at_once(self):
        query = "surveillance"  # AVS (region Auvergne-Rhône-Alpes), Nice's AVS and sound sensors
        before = self.searched(query, sort="place")
        self.assertEqual(before[0], "avs-lycees")
        type(self.ara).objects.filter(pk=self.ara.pk).update(name="Zone sans communes")
        after = self.searched(query, sort="place")
        self.assertEqual(after, self.scanned(query, sort="place"))
        self.assertNotEqual(after[0], "avs-lycees")
