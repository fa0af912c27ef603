"""Full-text search behind one interface: SQLite FTS5 in the embedded mode, PostgreSQL in production.

Both match the same French stems (search.stemming), so they find the same entries, and
their candidates are ranked by the same function in Python (search.ranking: BM25, titles
weighing more than bodies; only each engine's estimate of a word's rarity differs). Results are grouped by
record: a document matching on many pages appears once, on its best page, with the number
of pages that matched.

A common word matches most pages of a large corpus, and ranking (or even counting) a million
pages takes seconds on either engine. So a search ranks at most ``Backend.candidates``
matching pages: the most recently indexed ones, which both engines read first from their
index without looking at the others. When more pages match, the results say so (``capped``)
and their number is a lower bound, shown as "at least N"; below that bound nothing is
approximate: every matching page is ranked and counted.
"""

import contextlib
import datetime
import json
from dataclasses import dataclass

from django.db import connection, transaction

from technopolice.lib.idlists import integer_list

from .query import Query
from .ranking import Candidate, Hit, best_pages, idf, scores


@dataclass
class Filters:
    types: list[str] | None = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    place: str = ""
    technology: str = ""

    def where(self) -> tuple[list[str], list]:
        """SQL conditions on the entry table (aliased ``e``) and their parameters."""
        sql, params = [], []
        if self.types:
            sql.append(f"e.entry_type IN ({', '.join(['%s'] * len(self.types))})")
            params += list(self.types)
        for column, value, op in (
            ("kind", self.kind, "="),
            ("date", self.date_from, ">="),
            ("date", self.date_to, "<="),
        ):
            if value:
                sql.append(f"e.{column} {op} %s")
                params.append(value)
        for column, key in (("places", self.place), ("technologies", self.technology)):
            if key:
                sql.append(f"e.{column} LIKE %s")
                params.append(f"% {key} %")
        return sql, params


Window = tuple[str, int]  # a condition on the entries' ids, and its one parameter


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # records found; a lower bound when capped
    capped: bool = False  # more pages matched than were ranked


class Backend:
    """Subclasses give the match condition and a rarity estimate; candidates, ranking, paging are shared."""

    source = ""  # the FROM clause, entry table aliased ``e``
    condition = ""  # the full-text condition
    # ``source`` or ``condition`` takes exactly one parameter: the engine's query string.
    score = ""  # the engine's own ranking, higher is better: for the benchmark's baseline (bare) only
    candidates = 500  # matching pages ranked at most, the most recently indexed
    newest = "e.id DESC"  # the order of the entries' ids, as the engine can read its matches in it

    def search(self, query: Query, filters: Filters, limit: int = 20, offset: int = 0) -> Results:
        """One page of records, best first, and their number.

        The newest matching pages, one more than ranked to tell whether more matched, are read
        first, then ranked and grouped in Python (search.ranking) with the same function on both
        engines.
        """
        with self.session(), connection.cursor() as cursor:
            weights = self._weights(cursor, query)  # first: an engine may set itself for the match next
            newest = self._newest(cursor, query, filters)
            candidates = self._stems(cursor, newest[: self.candidates])
        hits = best_pages(candidates, scores(candidates, query.parts, weights))
        return Results(hits[offset : offset + limit], len(hits), capped=len(newest) > self.candidates)

    def _newest(self, cursor, query: Query, filters: Filters) -> list[tuple]:
        """The ids, types, record ids and page numbers of the newest matching pages, newest first.

        At most ``candidates`` + 1, in one statement: SQLite's FTS5 reads its matches newest first
        and stops at the LIMIT. PostgreSQL's GIN index cannot, and reads them in parts of the ids.
        """
        return self._select(cursor, *self._matches(query, filters), self.candidates + 1)

    def _select(self, cursor, inner: str, params: list, limit: int) -> list[tuple]:
        # The ``ORDER BY ... LIMIT`` is what keeps a search fast whatever the number of
        # matches: each engine reads its matches off the index in that order and stops there.
        columns = "e.id, e.entry_type, e.object_id, e.page"
        cursor.execute(f"SELECT {columns} {inner} ORDER BY {self.newest} LIMIT %s", [*params, limit])
        return cursor.fetchall()

    @staticmethod
    def _stems(cursor, rows: list[tuple]) -> list[Candidate]:
        """The candidates with their stems, read apart: a filter is checked without the wide rows."""
        if not rows:
            return []
        # The ids as integers in the statement (lib.idlists): as one parameter each, psycopg parsed the
        # statement again on every search, a large share of the query's time on PostgreSQL.
        ids = integer_list(r[0] for r in rows)
        cursor.execute(f"SELECT id, title_stems, body_stems FROM search_searchentry WHERE id IN {ids}")  # noqa: S608
        stems = {row[0]: row[1:] for row in cursor.fetchall()}
        return [Candidate(*row, *stems[row[0]]) for row in rows if row[0] in stems]

    def _weights(self, cursor, query: Query) -> list[float]:
        """Each part's IDF; all alike for one part, where it would multiply every score alike.

        Read before the match: PostgreSQL's _newest() turns index scans off, and MAX(id) then reads
        every row, a time that grows with the corpus.
        """
        parts = query.parts
        if len(parts) < 2:
            return [1.0] * len(parts)
        cursor.execute("SELECT MAX(id) FROM search_searchentry")
        pages = cursor.fetchone()[0] or 1
        return [idf(self.share(cursor, part, pages), pages) for part in parts]

    def share(self, cursor, part: tuple[str, ...], pages: int) -> float:
        """An estimate of the share of pages holding a word or phrase, without reading them all."""
        raise NotImplementedError

    def session(self):
        """Where the search's queries run: the engine may want settings of its own."""
        return contextlib.nullcontext()

    def bare(self, query: Query, filters: Filters, limit: int = 20) -> list[int]:
        """The engine's match and rank of every matching page, without grouping: the benchmark's baseline."""
        inner, params = self._matches(query, filters)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT e.id {inner} ORDER BY {self.score} DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _matches(self, query: Query, filters: Filters, window: Window | None = None) -> tuple[str, list]:
        """The search's FROM and WHERE, and their parameters."""
        conditions, params = filters.where()
        if window is not None:
            conditions.append(window[0])
            params.append(window[1])
        where = " AND ".join([self.condition, *conditions])
        return f"FROM {self.source} WHERE {where}", [self.expression(query), *params]

    def expression(self, query: Query) -> str:
        raise NotImplementedError


class SqliteBackend(Backend):
    """FTS5 over the entry table (external content, kept in step by triggers: see the migration)."""

    # CROSS JOIN makes SQLite loop over the full-text matches first: with a plain JOIN its planner may
    # prefer the filter indexes on the entry table and run the MATCH once per row (seconds, not ms).
    # FTS5 reads its matches in descending rowid order itself, and bm25() is computed for the rows
    # that pass the LIMIT only.
    source = "search_fts CROSS JOIN search_searchentry e ON e.id = search_fts.rowid"
    # bm25() is lower for better matches; negated so that both backends sort "higher is better".
    score = "(-bm25(search_fts, 5.0, 1.0))"
    condition = "search_fts MATCH %s"
    newest = "search_fts.rowid DESC"  # the same as e.id, but only this one FTS5 reads in order
    sample = 200  # newest matches read to estimate a part's share of the pages

    def expression(self, query: Query) -> str:
        return " AND ".join(self._part(part) for part in query.parts)

    @staticmethod
    def _part(part: tuple[str, ...]) -> str:
        # Stems are [a-z0-9] only (search.stemming folds them), so quoting them is enough.
        return f'"{" ".join(part)}"'

    def share(self, cursor, part: tuple[str, ...], pages: int) -> float:
        """Matches among the ids from the ``sample``-th newest match on; with fewer, over all pages.

        FTS5 reads a word's or phrase's matches newest first and stops at the LIMIT: well under a
        millisecond, where counting them all (what bm25() does) reads the whole index.
        """
        cursor.execute(
            "SELECT COUNT(*), MIN(rowid) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
            "ORDER BY rowid DESC LIMIT %s)",
            [self._part(part), self.sample],
        )
        found, oldest = cursor.fetchone()
        if found < self.sample:
            return found / pages
        return found / max(pages - oldest + 1, found)


class PostgresBackend(Backend):
    """A generated tsvector column with a GIN index over the same stems (see the migration)."""

    source = "search_searchentry e, to_tsquery('simple', %s) q"
    score = "ts_rank(e.vector, q)"
    condition = "e.vector @@ q"
    # The ids as the GIN index holds them (migration 0007), written exactly as its expressions:
    # by blocks of BLOCK for windows read from a bound on (``above``: fewer than BLOCK ids more
    # than asked, which a window may hold), and by spans of SPAN read one by one (``_by_spans``).
    # bigint, as they are: btree_gin (PostgreSQL 15) has no bigint-to-integer operators, and a
    # number would come as an integer literal, which it could not use.
    BLOCK = 256
    SPAN = 65536
    above = f"(e.id / {BLOCK}) >= %s::bigint"
    # What a span's statement costs beyond its matches, counted in matches read from the heap (a
    # phrase's match costs four times a word's: its vector is read to check the order of its
    # words), as measured in docs/bench/documents.md: to choose between spans and all at once.
    SPAN_ROWS = 130
    PHRASE_MATCH_COST = 4
    GROWTH = 8  # a window is at most this many times the one before: see _wider()

    @contextlib.contextmanager
    def session(self):
        # A transaction for the SET LOCAL in _newest(); reset after, in case it is nested in a
        # caller's transaction, where SET LOCAL would last until that one ends.
        with transaction.atomic(), connection.cursor() as cursor:
            try:
                yield
            finally:
                cursor.execute("RESET enable_indexscan; RESET work_mem")

    def _newest(self, cursor, query: Query, filters: Filters) -> list[tuple]:
        """The newest matches, read in the part of the ids that the GIN index reads in step with the words.

        The GIN index holds the ids (migrations 0004, 0006, 0007) and skips the postings outside
        the part asked: a window from a bound on costs what it spans, whatever the words'
        frequency (its bitmap is built id by id), and a span read by equality costs
        its matches, as the words' postings skip through the span's. A first window is sized on
        the planner's estimate to hold twice the matches it expects: the estimate takes the
        filters for independent of the words and of each other, and a window too narrow costs a
        second one, wider, which reads the first again. A window that would be wider than a
        span is read span by span instead, from the newest (``_by_spans``).
        Phrases are checked on each row the index returns (it has no positions), and the planner
        expects far too few of them (it takes their words for independent): for them a short walk
        down the primary key measures the density first, unpacking each row's vector (TOASTed:
        microseconds each) until it has enough matches.
        """
        cursor.execute("SELECT MAX(id) FROM search_searchentry")
        newest, wanted = cursor.fetchone()[0] or 0, self.candidates + 1
        if not query.phrases:
            width = self._first_width(cursor, query, filters, newest)
        elif (width := 2 * wanted) < min(newest, self.SPAN):  # the walk, with index scans allowed
            rows = self._window(cursor, query, filters, newest - width)
            if len(rows) >= wanted:
                return rows
            width = self._wider(width, len(rows))
        self._bitmap_scans(cursor)
        while width < min(newest, self.SPAN):
            rows = self._window(cursor, query, filters, newest - width)
            if len(rows) >= wanted:
                return rows
            width = self._wider(width, len(rows))
        if width < newest:
            return self._by_spans(cursor, query, filters, newest)
        return self._select(cursor, *self._matches(query, filters), wanted)

    def _window(self, cursor, query: Query, filters: Filters, bound: int) -> list[tuple]:
        """The newest matches from the block of ``bound`` on, at most ``candidates`` + 1."""
        window = (self.above, bound // self.BLOCK)
        return self._select(cursor, *self._matches(query, filters, window), self.candidates + 1)

    def _first_width(self, cursor, query: Query, filters: Filters, newest: int) -> int:
        """A window of the newest ids to hold twice the matches that the planner expects there."""
        inner, params = self._matches(query, filters)
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {inner}", params)
        share = self._plan_rows(cursor) / max(newest, 1)
        width = int(2.0 / max(share, 1e-9) * (self.candidates + 1))
        if len(query.terms) > 1:  # taking words for independent, the planner expects too few pages
            width = min(width, 32 * (self.candidates + 1))  # to hold them all: do not read them all
        return width

    @staticmethod
    def _bitmap_scans(cursor) -> None:
        # Bitmap scans (the GIN index's), with room for an exact bitmap; one statement, one round trip.
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL work_mem = '64MB'")

    def _wider(self, width: int, seen: int) -> int:
        """A window wide enough, at the density just seen, for all the candidates and half as many more.

        At most GROWTH times as wide when it saw some: the matches cluster by document (a
        contract about cameras names them on most of its pages), and a first window of a few
        dozen documents may see a third of the density of the next hundred. Sized on that
        third, the next window held four times the matches needed, all read ("caméras de
        surveillance" took several times as long as at the right width).
        """
        wider = max(2 * width, int(width * 1.5 * (self.candidates + 1) / max(seen, 1)))
        return min(wider, self.GROWTH * width) if seen else wider

    def _by_spans(self, cursor, query: Query, filters: Filters, newest: int) -> list[tuple]:
        """The newest matches, span by span from the newest, for matches too sparse for a window.

        A window holding enough of them would span more than a span: read as a range, a span's
        width of its ids costs more than a span read by equality, whose cost is its matches.
        When the density seen says that many spans remain, all the matches are read at once
        instead, if there are few enough of them for that to cost less.
        """
        rows, span, wanted = [], newest // self.SPAN, self.candidates + 1
        while span >= 0:
            inner, params = self._matches(query, filters, (f"(e.id / {self.SPAN}) = %s::bigint", span))
            rows += self._select(cursor, inner, params, wanted - len(rows))
            if len(rows) >= wanted:
                return rows
            if self._all_at_once(len(rows), newest - span * self.SPAN + 1, newest, bool(query.phrases)):
                return self._select(cursor, *self._matches(query, filters), wanted)
            span -= 1
        return rows

    def _all_at_once(self, found: int, read: int, newest: int, phrase: bool) -> bool:
        """Whether reading every match costs less than the spans still needed, at the density seen.

        Not before a whole span was read: the newest span may hold only a few ids.
        """
        if read < self.SPAN:
            return False
        density = found / read
        matches = density * newest * (self.PHRASE_MATCH_COST if phrase else 1)
        spans_needed = (self.candidates + 1 - found) / max(density * self.SPAN, 1e-9)
        return matches < spans_needed * self.SPAN_ROWS

    def expression(self, query: Query) -> str:
        return " & ".join(self._part(part) for part in query.parts)

    @staticmethod
    def _part(part: tuple[str, ...]) -> str:
        return f"({' <-> '.join(part)})"

    def share(self, cursor, part: tuple[str, ...], pages: int) -> float:
        """The planner's estimate, from ANALYZE's statistics of the most common stems.

        Reading a word's newest matches, as on SQLite, is not cheap here (see _newest()). Rare
        words all get the same small share, and a phrase the product of its words' (too small:
        the planner takes them for independent), which weighs it a little more than its words.
        """
        sql = (
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_searchentry WHERE vector @@ to_tsquery('simple', %s)"
        )
        cursor.execute(sql, [self._part(part)])
        return self._plan_rows(cursor) / pages

    @staticmethod
    def _plan_rows(cursor) -> float:
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return plan[0]["Plan"]["Plan Rows"]


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
