"""Full-text search behind one interface: SQLite FTS5 in the embedded mode, PostgreSQL in production.

Both match the same French stems (search.stemming), so they find the same entries; each
ranks with its own engine (bm25 on SQLite, ts_rank_cd on PostgreSQL) with titles weighing
more than bodies. Results are grouped by record: a document matching on many pages
appears once, on its best page, with the number of pages that matched.
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


class Backend:
    """Subclasses give the match condition and the score; grouping, filters and paging are shared."""

    source = ""  # the FROM clause, entry table aliased ``e``
    score = ""  # an SQL expression, higher is better
    condition = ""  # the full-text condition
    # ``source`` or ``condition`` takes exactly one parameter: the engine's query string.

    def search(
        self, query: Query, filters: Filters, limit: int = 20, offset: int = 0
    ) -> tuple[list[Hit], int]:
        inner, params = self._matches(query, filters)
        matched = f"SELECT e.id, e.entry_type, e.object_id, e.page, {self.score} AS score {inner}"
        record = "PARTITION BY entry_type, object_id"
        # Only fixed SQL fragments are interpolated; the query and filter values are parameters.
        grouped = (
            f"SELECT id, score, pages, COUNT(*) OVER () AS total FROM (SELECT id, score, "  # noqa: S608
            f"ROW_NUMBER() OVER ({record} ORDER BY score DESC, page) AS rn, "
            f"COUNT(*) OVER ({record}) AS pages FROM ({matched}) matched) ranked WHERE rn = 1"
        )
        with connection.cursor() as cursor:
            # One pass: the total number of records comes with the page of hits.
            cursor.execute(f"{grouped} ORDER BY score DESC, id LIMIT %s OFFSET %s", [*params, limit, offset])
            rows = cursor.fetchall()
            hits = [Hit(row[0], float(row[1]), int(row[2])) for row in rows]
            total = rows[0][3] if rows else 0
            if not rows and offset:  # past the last page: count alone, for the pager
                cursor.execute(f"SELECT COUNT(DISTINCT e.entry_type || ':' || e.object_id) {inner}", params)
                total = cursor.fetchone()[0]
        return hits, total

    def bare(self, query: Query, limit: int = 20) -> list[int]:
        """The engine's match and rank alone, without grouping or filters: the benchmark's baseline."""
        inner, params = self._matches(query, Filters())
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
    source = "search_fts CROSS JOIN search_searchentry e ON e.id = search_fts.rowid"
    # bm25() is lower for better matches; negated so that both backends sort "higher is better".
    score = "(-bm25(search_fts, 5.0, 1.0))"
    condition = "search_fts MATCH %s"

    def expression(self, query: Query) -> str:
        # Stems are [a-z0-9] only (search.stemming folds them), so quoting them is enough.
        parts = [f'"{term}"' for term in query.terms] + [f'"{" ".join(phrase)}"' for phrase in query.phrases]
        return " AND ".join(parts)


class PostgresBackend(Backend):
    """A generated tsvector column with a GIN index over the same stems (see the migration)."""

    source = "search_searchentry e, to_tsquery('simple', %s) q"
    score = "ts_rank_cd(e.vector, q)"
    condition = "e.vector @@ q"

    def expression(self, query: Query) -> str:
        parts = list(query.terms) + [f"({' <-> '.join(phrase)})" for phrase in query.phrases]
        return " & ".join(parts)


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()
