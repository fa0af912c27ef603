import datetime
import itertools
from unittest import mock

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from technopolice.documents import actions, cleaning
from technopolice.documents.tasks import extract_text
from technopolice.documents.tests import builders
from technopolice.registry.actions import publish_dossier
from technopolice.registry.models import Dossier
from technopolice.registry.tests.factories import OrganisationFactory, dossier_payload
from technopolice.search.backends import Backend, Filters, PostgresBackend, Window, get_backend
from technopolice.search.models import SearchEntry
from technopolice.search.query import parse
from technopolice.testing.cases import BaseTestCase


def url(**params) -> str:
    with translation.override("en"):
        return reverse("search:results")


class SearchTestCase(builders.MediaMixin, BaseTestCase):
    def setUp(self):
        super().setUp()
        self.dossier = publish_dossier(
            dossier_payload(description="Des capteurs sonores et de la videosurveillance."), self.bob
        )

    def document(self, *pages: str, kind: str = "report", date=None, dossier: Dossier | None = None):
        document, _created = actions.import_file(
            cleaning.clean(builders.pdf(*pages)), "Rapport annuel", kind, dossier=dossier
        )
        if date:
            document.date = date
            document.save()
        extract_text.call(document.pk)  # the queue itself is tested in documents.tests.test_extraction
        return document

    def search(self, text: str, **filters):
        results = get_backend().search(parse(text), Filters(**filters))
        return [SearchEntry.objects.get(pk=h.entry_id) for h in results.hits], results.total


class BehaviourTests(SearchTestCase):
    def test_accents_and_case_do_not_matter(self):
        entries, _ = self.search("VIDÉOSURVEILLANCE")
        self.assertEqual([(e.entry_type, e.object_id) for e in entries], [("dossier", self.dossier.pk)])

    def test_plural_and_singular_meet_on_one_stem(self):
        document = self.document("Installation d'une caméra place Bellecour.")
        entries, _ = self.search("caméras")
        self.assertIn(("document", document.pk), [(e.entry_type, e.object_id) for e in entries])
        entries, _ = self.search("camera")
        self.assertIn(("document", document.pk), [(e.entry_type, e.object_id) for e in entries])

    def test_a_document_matches_on_its_page_with_the_page_number(self):
        document = self.document("Sommaire du rapport.", "Budget des drones de surveillance.", "Annexes.")
        entries, total = self.search("drones")
        self.assertEqual(total, 1)
        self.assertEqual((entries[0].object_id, entries[0].page), (document.pk, 2))

    def test_all_words_are_required_and_phrases_keep_their_order(self):
        self.document(
            "La reconnaissance faciale est interdite.", "Une reconnaissance de dette ; le visage du maire."
        )
        self.assertEqual(self.search("reconnaissance faciale")[1], 1)
        self.assertEqual(self.search('"faciale reconnaissance"')[1], 0)
        self.assertEqual(self.search('"reconnaissance faciale"')[0][0].page, 1)

    def test_a_document_found_on_several_pages_is_listed_once(self):
        self.document("drones ici", "drones là", "rien")
        entries, total = self.search("drones")
        self.assertEqual(total, 1)
        self.assertEqual(len(entries), 1)

    def test_titles_rank_above_bodies(self):
        OrganisationFactory(name="Drones Sécurité", slug="drones-securite", description="")
        self.document("On parle des drones une fois.")
        entries, _ = self.search("drones")
        self.assertEqual(entries[0].entry_type, "organisation")

    def test_sources_and_organisations_are_searched(self):
        OrganisationFactory(name="Serenicity", slug="serenicity", description="Capteurs audio")
        self.assertEqual(self.search("serenicity")[0][0].entry_type, "organisation")
        self.assertEqual(self.search("micros rue")[0][0].entry_type, "source")

    def test_unpublished_documents_are_not_searchable(self):
        document, _ = actions.store(
            cleaning.clean(builders.pdf("Document secret en attente sur les drones")), title="Attente"
        )
        extract_text.call(document.pk)
        self.assertEqual(self.search("drones")[1], 0)
        document.publish()
        self.assertEqual(self.search("drones")[1], 1)

    def test_the_index_follows_changes_and_deletions(self):
        self.dossier.title = "Micros abandonnés"
        self.dossier.save()
        self.assertEqual(self.search("abandonnes")[1], 1)
        self.dossier.delete()
        self.assertEqual(self.search("abandonnes")[1], 0)
        self.assertEqual(self.search("micros rue")[1], 0)  # its sources went with it


class RankingTests(SearchTestCase):
    """The candidates are ranked by BM25 (search.ranking) on both engines, with the rarity of each word."""

    def pages(self, text: str) -> list[int]:
        return [entry.page for entry in self.search(text, types=["document"])[0]]

    def test_more_occurrences_rank_higher(self):
        self.document("Un drone en vol.", "Drones, drones et drones.", "Un drone au sol.")
        self.assertEqual(self.pages("drones"), [2])

    def test_a_shorter_page_ranks_higher_for_as_many_occurrences(self):
        self.document("Il vote le budget. " * 20 + "Les drones du marché.", "Les drones du marché.")
        self.assertEqual(self.pages("drones marché"), [2])

    def test_a_rarer_word_weighs_more_in_a_several_word_search(self):
        budget = "Le conseil vote le budget primitif."
        # "budget" is on every page and "drones" on two: the page holding "drones" twice comes first,
        # although the other holds "budget" three times.
        self.document(*[budget] * 12)
        older = self.document("Budget, budget et budget : un drone.")
        newer = self.document("Budget : des drones et des drones.")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # PostgreSQL estimates a word's rarity from these statistics
        entries, _ = self.search("budget drones", types=["document"])
        self.assertEqual([e.object_id for e in entries], [newer.pk, older.pk])

    def test_a_phrase_ranks_its_pages_by_the_times_it_occurs(self):
        self.document(
            "Le centre de supervision urbain, et le centre de supervision.", "Le centre de supervision."
        )
        self.assertEqual(self.pages('"centre de supervision"'), [1])


class CandidateTests(SearchTestCase):
    """A search ranks the newest matching pages only, up to a bound, and says when it stopped there."""

    def setUp(self):
        super().setUp()
        self.older = self.document("Drones.", "Drones drones drones.", "Rien.")
        self.newer = self.document("Des drones.", "Toujours des drones.")

    def results(self, text: str, candidates: int, **kwargs):
        backend = get_backend()
        backend.candidates = candidates
        return backend.search(parse(text), Filters(), **kwargs)

    def test_below_the_bound_every_match_is_ranked_and_counted(self):
        results = self.results("drones", candidates=4)
        self.assertFalse(results.capped)
        self.assertEqual(results.total, 2)
        self.assertEqual([h.pages_matched for h in results.hits], [2, 2])

    def test_above_the_bound_the_newest_pages_are_ranked_and_the_count_is_a_lower_bound(self):
        results = self.results("drones", candidates=3)
        self.assertTrue(results.capped)
        self.assertEqual(results.total, 2)
        entries = SearchEntry.objects.in_bulk([h.entry_id for h in results.hits])
        pages = {(entries[h.entry_id].object_id, h.pages_matched) for h in results.hits}
        # The older document's first page was not among the three newest matching pages.
        self.assertEqual(pages, {(self.newer.pk, 2), (self.older.pk, 1)})
        self.assertTrue(self.results("drones", candidates=1).capped)
        self.assertEqual(self.results("drones", candidates=1).total, 1)

    def test_an_old_match_behind_many_newer_pages_is_found(self):
        # PostgreSQL looks for the newest matches in widening windows of ids: this one is in the last only.
        for _ in range(3):
            self.document(*["Séance du conseil municipal, budget primitif."] * 6)
        results = self.results("drones", candidates=1)
        self.assertTrue(results.capped)
        self.assertEqual(len(results.hits), 1)
        entry = SearchEntry.objects.get(pk=results.hits[0].entry_id)
        self.assertEqual((entry.object_id, entry.page), (self.newer.pk, 2))
        rare = self.results("tranquillité", candidates=1)
        self.assertEqual((rare.total, rare.capped), (0, False))
        self.document("Tranquillité publique.")
        for _ in range(2):
            self.document(*["Séance du conseil municipal, budget primitif."] * 6)
        rare = self.results("tranquillité", candidates=1)
        self.assertEqual((rare.total, rare.capped), (1, False))

    def test_the_engine_settings_of_a_search_do_not_outlive_it(self):
        with connection.cursor() as cursor:
            before = self.settings_of(cursor)
            self.results("introuvable", candidates=1)  # past the first window: with the settings
            self.assertEqual(self.settings_of(cursor), before)

    @staticmethod
    def settings_of(cursor) -> list:
        if connection.vendor != "postgresql":
            return []
        cursor.execute("SELECT current_setting('enable_indexscan'), current_setting('work_mem')")
        return list(cursor.fetchone())

    def test_past_the_last_page_the_number_is_still_given(self):
        results = self.results("drones", candidates=4, limit=1, offset=5)
        self.assertEqual((results.hits, results.total, results.capped), ([], 2, False))

    def test_the_page_says_when_the_count_is_a_lower_bound(self):
        with mock.patch.object(Backend, "candidates", 3):
            response = self.client.get(url(), {"q": "drones"})
        self.assertContains(response, "At least 2 results")
        self.assertContains(response, "only the 3 most recently added were ranked")
        response = self.client.get(url(), {"q": "drones"})
        self.assertContains(response, "2 results")
        self.assertNotContains(response, "At least")


class PostgresIndexTests(SearchTestCase):
    """On PostgreSQL the GIN index holds the ids: it ANDs the words and the window of newest ids itself."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's GIN index")
        super().setUp()
        self.document("Des drones.", "Toujours des drones.")

    def index_conditions(
        self, text: str, window: Window, filters: Filters | None = None, set_aside: tuple[str, ...] = ()
    ) -> list[str]:
        """The conditions read in an index by the plan of a windowed match, the primary key set aside.

        A test's few rows would be read through the primary key whatever the indexes; with it set
        aside (in a savepoint, rolled back), what remains shows whether the GIN index can read the
        window itself, as the planner has it do on a large corpus (docs/documents.md).
        """
        inner, params = get_backend()._matches(parse(text), filters or Filters(), window)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_searchentry DROP CONSTRAINT search_searchentry_pkey")
            for index in set_aside:
                cursor.execute(f"DROP INDEX {index}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")  # as _newest() sets it
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT e.id {inner}", params)
            plan = cursor.fetchone()[0]
            transaction.set_rollback(True)
        found, nodes = [], [plan[0]["Plan"]]
        while nodes:
            node = nodes.pop()
            nodes += node.get("Plans", [])
            if "Index Cond" in node:
                found.append(f"{node['Index Name']}: {node['Index Cond']}")
        return found

    def test_the_window_is_read_in_the_gin_index_with_the_words(self):
        conditions = self.index_conditions("drones", (PostgresBackend.above, 0))
        self.assertEqual(len(conditions), 1, conditions)
        self.assertIn("search_entry_vector_blocks_kind: ((vector @@", conditions[0])
        self.assertIn("AND ((id / 256) >= '0'::bigint)", conditions[0])

    def test_a_span_is_read_in_the_gin_index_with_the_words(self):
        conditions = self.index_conditions("drones", ("(e.id / 65536) = %s::bigint", 0))
        self.assertEqual(len(conditions), 1, conditions)
        self.assertIn("search_entry_vector_blocks_kind: ((vector @@", conditions[0])
        self.assertIn("AND ((id / 65536) = '0'::bigint)", conditions[0])

    def test_a_filter_by_kind_is_read_in_the_same_gin_index(self):
        """Not ANDed with the (kind, date) btree, whose bitmap holds every page of that kind: on a
        test's two pages the planner would take that btree alone, so it is set aside too."""
        filters = Filters(kind="contract", date_from=datetime.date(2018, 1, 1))
        window = (PostgresBackend.above, 0)
        conditions = self.index_conditions("drones", window, filters, set_aside=("search_entry_kind_date",))
        self.assertEqual(len(conditions), 1, conditions)
        self.assertIn("search_entry_vector_blocks_kind: ((vector @@", conditions[0])
        self.assertIn("((kind)::text = 'contract'::text)", conditions[0])

    def test_a_word_on_every_page_is_matched_in_the_index_not_on_a_walk_down_the_primary_key(self):
        # A walk down the primary key unpacks each row's vector; the GIN index reads the window for less.
        self.document(*["Des drones encore."] * 6)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")  # the planner knows "drones" is on most pages
        backend = get_backend()
        backend.candidates = 2
        with CaptureQueriesContext(connection) as queries:
            results = backend.search(parse("drones"), Filters())
        self.assertTrue(results.capped)
        statements = [q["sql"] for q in queries.captured_queries]
        first_match = next(i for i, sql in enumerate(statements) if sql.startswith("SELECT e.id"))
        self.assertIn("enable_indexscan = off", " ".join(statements[:first_match]))


class SpanTests(SearchTestCase):
    """PostgreSQL reads sparse matches span by span of ids, from the newest: the same as reading them all."""

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's spans of ids")
        super().setUp()
        council, drones = "Séance du conseil, budget primitif.", "Des drones."
        for number in range(8):  # "drones" on a few pages, spread over the ids among others
            self.document(council, *[council] * (number % 4), *[drones] * (number % 3))
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM search_searchentry")
            self.newest = cursor.fetchone()[0]

    def by_spans(self, text: str, candidates: int, filters: Filters) -> tuple[list, list, int]:
        """The newest matches read span by span, the same read at once, and the spans' statements."""
        backend = get_backend()
        backend.candidates = candidates
        query = parse(text)
        spans = []

        def count_spans(execute, sql, params, many, context):
            spans.extend([sql] if f"(e.id / {backend.SPAN}) = " in sql else [])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count_spans), connection.cursor() as cursor:
            by_spans = backend._by_spans(cursor, query, filters, self.newest)
            at_once = backend._select(cursor, *backend._matches(query, filters), candidates + 1)
        return by_spans, at_once, len(spans)

    def test_spans_find_the_newest_matches_as_a_read_of_them_all_does(self):
        texts = ("drones", "budget drones", '"des drones"', "introuvable")
        cases = itertools.product(texts, (0, 1, 2, 5, 50), (1, 3, 7, 64))
        for text, candidates, span in cases:
            for filters in (Filters(), Filters(kind="contract"), Filters(types=["document"])):
                for span_rows in (0, 10**6):  # never, or as soon as it may, all the matches at once
                    with self.subTest(text=text, candidates=candidates, span=span, filters=filters):
                        with mock.patch.multiple(PostgresBackend, SPAN=span, SPAN_ROWS=span_rows):
                            by_spans, at_once, _spans = self.by_spans(text, candidates, filters)
                        self.assertEqual(by_spans, at_once)

    def test_every_span_is_read_when_the_matches_are_too_few_and_all_at_once_costs_more(self):
        with mock.patch.multiple(PostgresBackend, SPAN=1, SPAN_ROWS=0):
            by_spans, at_once, spans = self.by_spans("drones", 50, Filters())
        self.assertEqual(spans, self.newest + 1)  # span 0 too, which holds no entry
        self.assertEqual(by_spans, at_once)
        self.assertLess(len(by_spans), 51)

    def test_spans_stop_once_the_candidates_are_found(self):
        with mock.patch.multiple(PostgresBackend, SPAN=1, SPAN_ROWS=0):
            by_spans, at_once, spans = self.by_spans("drones", 1, Filters())
        self.assertEqual(by_spans, at_once)
        self.assertEqual(len(by_spans), 2)
        self.assertEqual(spans, self.newest - by_spans[-1][0] + 1)  # down to the second newest match

    def test_a_search_whose_matches_are_expected_sparse_reads_spans(self):
        backend = get_backend()
        backend.candidates = 1
        expected = backend.search(parse("drones"), Filters())
        # A window holding twice the expected matches would be half of the ids: wider than a span of 4.
        with (
            mock.patch.object(PostgresBackend, "SPAN", 4),
            mock.patch.object(PostgresBackend, "_plan_rows", return_value=8),
            CaptureQueriesContext(connection) as queries,
        ):
            results = backend.search(parse("drones"), Filters())
        self.assertTrue(any("(e.id / 4) = " in q["sql"] for q in queries.captured_queries))
        self.assertEqual(results, expected)

    def test_a_phrase_too_sparse_for_a_window_narrower_than_a_span_reads_spans_with_bitmap_scans(self):
        backend = get_backend()
        backend.candidates = 2
        expected = backend.search(parse('"des drones"'), Filters())
        # Blocks of one id, so that the first window is the 6 newest ids, which hold one match: a
        # second window for three would be 27 ids wide, wider than a span of 16.
        blocks = {"BLOCK": 1, "above": "(e.id / 1) >= %s::bigint", "SPAN": 16}
        with mock.patch.multiple(PostgresBackend, **blocks), CaptureQueriesContext(connection) as queries:
            results = backend.search(parse('"des drones"'), Filters())
        self.assertEqual(results, expected)
        statements = [q["sql"] for q in queries.captured_queries]
        parts = window, _setting, _span = ("(e.id / 1) >= ", "enable_indexscan = off", "(e.id / 16) = ")
        first = [next(i for i, sql in enumerate(statements) if part in sql) for part in parts]
        self.assertEqual(first, sorted(first), statements)  # the walk, then bitmap scans, then spans
        self.assertEqual(sum(window in sql for sql in statements), 1, statements)

    def test_a_window_grows_at_most_eightfold_after_seeing_matches(self):
        backend = PostgresBackend()
        self.assertEqual(backend._wider(1000, 1), 8000)  # the density seen would want 751,500
        self.assertEqual(backend._wider(1000, 400), 2000)  # twice at least
        self.assertEqual(backend._wider(1000, 0), 751_500)  # none seen: no density to trust


class FilterTests(SearchTestCase):
    def test_filters_by_kind_date_place_and_technology(self):
        linked = self.document(
            "Contrat de vidéosurveillance",
            kind="contract",
            date=datetime.date(2021, 5, 1),
            dossier=self.dossier,
        )
        self.document("Rapport de vidéosurveillance", kind="report", date=datetime.date(2019, 5, 1))
        ids = lambda **f: {e.object_id for e in self.search("videosurveillance", types=["document"], **f)[0]}  # noqa: E731
        self.assertEqual(ids(kind="contract"), {linked.pk})
        self.assertEqual(ids(date_from=datetime.date(2020, 1, 1)), {linked.pk})
        self.assertEqual(len(ids(date_to=datetime.date(2020, 1, 1))), 1)
        commune = self.dossier.communes.get()
        self.assertEqual(ids(place=commune.slug), {linked.pk})
        self.assertEqual(ids(place=commune.department.slug), {linked.pk})
        self.assertEqual(ids(technology="audio-sensors"), {linked.pk})
        self.assertEqual(ids(technology="drones"), set())


class ViewTests(SearchTestCase):
    def test_the_page_shows_highlighted_snippets_with_page_numbers(self):
        document = self.document("Introduction.", "Les caméras piétons équipent la police municipale.")
        response = self.client.get(url(), {"q": "caméra"})
        self.assertContains(response, "<mark>caméras</mark>", html=False)
        self.assertContains(response, "page 2")
        self.assertContains(response, reverse("documents:detail", args=[document.pk]) + "#page-2")

    def test_snippets_escape_the_text(self):
        document, _ = actions.import_file(cleaning.clean(b"<b>gras</b> & drones"), "Note", "other")
        extract_text.call(document.pk)
        response = self.client.get(url(), {"q": "drones"})
        self.assertContains(response, "&lt;b&gt;gras&lt;/b&gt; &amp; <mark>drones</mark>")

    def test_filters_come_from_the_url(self):
        self.document("Contrat drones", kind="contract")
        response = self.client.get(url(), {"q": "drones", "kind": "deliberation"})
        self.assertContains(response, "0 results")
        response = self.client.get(url(), {"q": "drones", "kind": "contract", "type": "document"})
        self.assertContains(response, "1 result")

    def test_bad_filters_are_a_400_with_a_message(self):
        response = self.client.get(url(), {"q": "drones", "date_from": "pas une date"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "valid date", status_code=400)

    def test_an_empty_query_shows_the_form(self):
        response = self.client.get(url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="q"')

    def test_it_refuses_post(self):
        self.assertEqual(self.client.post(url(), {"q": "x"}).status_code, 405)
