"""Full-text search behind one interface: SQLite FTS5 in the embedded mode, PostgreSQL in production.

Both match the same French stems (search.stemming), so they find the same entries; each
ranks with its own engine (bm25 on SQLite, ts_rank on PostgreSQL) with titles weighing
more than bodies. Results are grouped by record: a document matching on many pages
appears once, on its best page, with the number of pages that matched.

A common word matches most pages of a large corpus, and ranking (or even counting) a million
pages takes seconds on either engine. So a search ranks at most ``Backend.candidates``
matching pages: the most recently indexed ones, which both engines read first from their
index without looking at the others. When more pages match, the results say so (``capped``)
and their number is a lower bound, shown as "more than N"; below that bound nothing is
approximate: every matching page is ranked and counted.
"""

import datetime
from dataclasses import dataclass

from django.db import connection

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
    candidates = 2000  # matching pages ranked at most, the most recently indexed
    newest = "e.id DESC"  # the order of the entries' ids, as the engine can read its matches in it

    def search(self, query: Query, filters: Filters, limit: int = 20, offset: int = 0) -> Results:
        """One page of records, best first, and their number, in one query.

        One candidate more than ranked is read, to tell whether more pages matched.
        """
        inner, params = self._matches(query, filters)
        record = "PARTITION BY entry_type, object_id"
        # Only fixed SQL fragments are interpolated; the query and filter values are parameters.
        grouped = (
            "SELECT id, score, pages, COUNT(*) OVER () AS total, MAX(seen) OVER () AS seen FROM ("  # noqa: S608
            f"SELECT id, score, seen, ROW_NUMBER() OVER ({record} ORDER BY score DESC, page) AS rn, "
            f"COUNT(*) OVER ({record}) AS pages FROM ("
            "SELECT *, COUNT(*) OVER () AS seen, ROW_NUMBER() OVER (ORDER BY id DESC) AS newest "
            f"FROM ({self.scored(inner)}) scored) candidates WHERE newest <= %s) ranked WHERE rn = 1"
        )
        with connection.cursor() as cursor:

            def run(limit: int, offset: int) -> list[tuple]:
                sql = f"{grouped} ORDER BY score DESC, id LIMIT %s OFFSET %s"
                cursor.execute(sql, [*params, self.candidates + 1, self.candidates, limit, offset])
                return cursor.fetchall()

            rows = run(limit, offset)
            # Past the last page, the number of records alone, for the pager.
            counted = rows or (run(1, 0) if offset else [])
        hits = [Hit(row[0], float(row[1]), int(row[2])) for row in rows]
        if not counted:
            return Results(hits, 0)
        return Results(hits, int(counted[0][3]), capped=int(counted[0][4]) > self.candidates)

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

    def _matches(self, query: Query, filters: Filters) -> tuple[str, list]:
        conditions, params = filters.where()
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
            f"SELECT e.id, e.entry_type, e.object_id, e.page, e.vector, q {inner} ORDER BY {self.newest} LIMIT %s"
            ") newest"
        )

    def expression(self, query: Query) -> str:
        parts = list(query.terms) + [f"({' <-> '.join(phrase)})" for phrase in query.phrases]
        return " & ".join(parts)


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
