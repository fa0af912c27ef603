"""Full-text search behind one interface: SQLite FTS5 in the embedded mode, PostgreSQL in production.

Both match the same French stems (search.stemming), so they find the same entries; each
ranks with its own engine (bm25 on SQLite, ts_rank on PostgreSQL) with titles weighing
more than bodies. Results are grouped by record: a document matching on many pages
appears once, on its best page, with the number of pages that matched.

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
from collections.abc import Generator
from dataclasses import dataclass

from django.db import connection, transaction

from .query import Query


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


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float
    pages_matched: int


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # records found; a lower bound when capped
    capped: bool = False  # more pages matched than were ranked


class Backend:
    """Subclasses give the match condition and the score; candidates, grouping and paging are shared."""

    source = ""  # the FROM clause, entry table aliased ``e``
    condition = ""  # the full-text condition
    # ``source`` or ``condition`` takes exactly one parameter: the engine's query string.
    score = ""  # an SQL expression over the full-text match, higher is better
    candidates = 500  # matching pages ranked at most, the most recently indexed
    newest = "e.id DESC"  # the order of the entries' ids, as the engine can read its matches in it

    def search(self, query: Query, filters: Filters, limit: int = 20, offset: int = 0) -> Results:
        """One page of records, best first, and their number.

        One candidate more than ranked is read, to tell whether more pages matched. An engine
        may look for them in growing windows of the newest ids (``windows``): the newest
        matches are in a window as soon as it holds more than ``candidates`` of them.
        """
        with self.session(), connection.cursor() as cursor:
            windows = self.windows(cursor, query, *self._matches(query, filters))
            above = next(windows)
            while True:
                inner, params = self._matches(query, filters, above)
                sql = f"{self._grouped(inner)} ORDER BY score DESC, id LIMIT %s OFFSET %s"
                params += [self.candidates + 1, self.candidates]
                cursor.execute(sql, [*params, limit, offset])
                counted = rows = cursor.fetchall()
                if not rows and offset:  # past the last page: the number of records alone, for the pager
                    cursor.execute(sql, [*params, 1, 0])
                    counted = cursor.fetchall()
                seen = int(counted[0][4]) if counted else 0
                if seen > self.candidates or above is None:
                    break
                above = windows.send(seen)
        hits = [Hit(row[0], float(row[1]), int(row[2])) for row in rows]
        return Results(hits, int(counted[0][3]) if counted else 0, capped=seen > self.candidates)

    def _grouped(self, inner: str) -> str:
        """The newest candidates, ranked, grouped by record (its best page stands for it), counted."""
        record = "PARTITION BY entry_type, object_id"
        # Only fixed SQL fragments are interpolated; the query and filter values are parameters.
        return (
            "SELECT id, score, pages, COUNT(*) OVER () AS total, MAX(seen) OVER () AS seen FROM ("  # noqa: S608
            f"SELECT id, score, seen, ROW_NUMBER() OVER ({record} ORDER BY score DESC, page) AS rn, "
            f"COUNT(*) OVER ({record}) AS pages FROM ("
            "SELECT *, COUNT(*) OVER () AS seen, ROW_NUMBER() OVER (ORDER BY id DESC) AS newest "
            f"FROM ({self.scored(inner)}) scored) candidates WHERE newest <= %s) ranked WHERE rn = 1"
        )

    def session(self):
        """Where the search's queries run: the engine may want settings of its own."""
        return contextlib.nullcontext()

    def windows(self, cursor, query: Query, inner: str, params: list) -> Generator[int | None, int]:
        """Lower bounds on the ids to look at, widening; None for all of them, and last.

        Each is sent back the number of matches found in the window it gave; ``inner`` and
        ``params`` are the search's FROM and WHERE, without a window.
        """
        yield None

    def scored(self, inner: str) -> str:
        """The newest matching pages, at most ``candidates`` + 1, with their score.

        The ``ORDER BY id DESC LIMIT`` is what keeps a search fast whatever the number of
        matches: each engine reads its matches off the index in that order and stops there.
        """
        columns = f"e.id, e.entry_type, e.object_id, e.page, {self.score} AS score"
        return f"SELECT {columns} {inner} ORDER BY {self.newest} LIMIT %s"

    def bare(self, query: Query, filters: Filters, limit: int = 20) -> list[int]:
        """The engine's match and rank of every matching page, without grouping: the benchmark's baseline."""
        inner, params = self._matches(query, filters)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT e.id {inner} ORDER BY {self.score} DESC LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def _matches(self, query: Query, filters: Filters, above: int | None = None) -> tuple[str, list]:
        conditions, params = filters.where()
        if above is not None:
            conditions.append("e.id > %s")
            params.append(above)
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

    def expression(self, query: Query) -> str:
        # Stems are [a-z0-9] only (search.stemming folds them), so quoting them is enough.
        parts = [f'"{term}"' for term in query.terms] + [f'"{" ".join(phrase)}"' for phrase in query.phrases]
        return " AND ".join(parts)


class PostgresBackend(Backend):
    """A generated tsvector column with a GIN index over the same stems (see the migration)."""

    source = "search_searchentry e, to_tsquery('simple', %s) q"
    score = "ts_rank(e.vector, q)"
    condition = "e.vector @@ q"

    def scored(self, inner: str) -> str:
        # Ranked after the LIMIT: a sort would otherwise score every match before keeping the newest.
        return (
            "SELECT id, entry_type, object_id, page, ts_rank(vector, q) AS score FROM ("  # noqa: S608
            f"SELECT e.id, e.entry_type, e.object_id, e.page, e.vector, q {inner} "
            f"ORDER BY {self.newest} LIMIT %s"
            ") newest"
        )

    @contextlib.contextmanager
    def session(self):
        # A transaction for the SET LOCAL in windows(); reset after, in case it is nested in a
        # caller's transaction, where SET LOCAL would last until that one ends.
        with transaction.atomic(), connection.cursor() as cursor:
            try:
                yield
            finally:
                cursor.execute("RESET enable_indexscan")
                cursor.execute("RESET work_mem")

    def windows(self, cursor, query: Query, inner: str, params: list) -> Generator[int | None, int]:
        """The newest ids through the primary key for a common word, else through the GIN index.

        The primary key read backwards finds the newest matches of a common word at once, but it
        unpacks each row's vector (TOASTed: microseconds each) to test it, which takes seconds
        for a rare word or a narrow filter; the planner cannot know, as it takes a tsvector match
        for cheap. So that walk is taken when the planner expects a quarter of the pages or more
        to match, over four times the candidates at most. Otherwise, or when it found too few,
        the GIN index, ANDed with a window of the newest ids sized on the expected (then the seen)
        density, finds them without unpacking any vector for plain words. Phrases are checked on
        each row the GIN index returns, and the planner expects far too few of them (it takes
        their words for independent): for them a short walk measures the density first.
        """
        cursor.execute("SELECT MAX(id) FROM search_searchentry")
        newest = cursor.fetchone()[0] or 0
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 {inner}", params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        share = plan[0]["Plan"]["Plan Rows"] / max(newest, 1)
        width = (4 if share >= 0.25 else 2) * (self.candidates + 1)
        if (share >= 0.25 or query.phrases) and width < newest:
            seen = yield newest - width
            width = self._wider(width, seen)
        else:
            width = int(1.5 / max(share, 1e-9) * (self.candidates + 1))
            if len(query.terms) > 1:  # taking words for independent, the planner expects too few pages
                width = min(width, 32 * (self.candidates + 1))  # to hold them all: do not read them all
        cursor.execute("SET LOCAL enable_indexscan = off")  # bitmap scans: GIN, ANDed with the ids
        cursor.execute("SET LOCAL work_mem = '64MB'")  # enough for an exact bitmap of a common word
        while width < newest:
            seen = yield newest - width
            width = self._wider(width, seen)
        yield None

    def _wider(self, width: int, seen: int) -> int:
        """A window wide enough, at the density just seen, for all the candidates and half as many more."""
        return max(2 * width, int(width * 1.5 * (self.candidates + 1) / max(seen, 1)))

    def expression(self, query: Query) -> str:
        parts = list(query.terms) + [f"({' <-> '.join(phrase)})" for phrase in query.phrases]
        return " & ".join(parts)


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
