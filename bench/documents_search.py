"""Benchmark of the site-wide search: indexing throughput, index size and query times, SQLite and PostgreSQL.

Generates N documents of French administrative prose (2 to 50 pages each) in a pool of processes,
stems them with search.stemming as search.indexing does, bulk-loads them and builds the database's
full-text index once after the load (FTS5 'rebuild', CREATE INDEX for the GIN), then times one-word,
multi-word, phrase and filtered queries, each through the search page's path (search.views.
search_page: bounded match and rank, grouping, count, snippets) and as the bare full-text query
that ranks every match. Prints figures.

    .venv/bin/python bench/documents_search.py --documents 2000
    .venv/bin/python bench/documents_search.py --documents 100000 --backends postgres
    .venv/bin/python bench/documents_search.py --documents 20000 --queries 0 --keep /tmp/b20  # build
    .venv/bin/python bench/documents_search.py --documents 20000 --keep /tmp/b20  # time it again

PostgreSQL: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/tp_documents_bench);
the database is dropped and created again, and dropped at the end unless --keep. SQLite runs in a
temporary directory, removed at the end unless --keep.
"""

import argparse
import functools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/tp_documents_bench"

SUBJECTS = [
    "le conseil municipal",
    "la commune",
    "le maire",
    "la préfecture",
    "le prestataire",
    "la police municipale",
    "le centre de supervision urbain",
    "la métropole",
    "le titulaire du marché",
    "la direction de la sécurité",
    "l'adjoint délégué à la tranquillité publique",
    "la commission d'appel d'offres",
    "le comité de pilotage",
]
VERBS = [
    "approuve",
    "autorise",
    "décide",
    "prend acte de",
    "valide",
    "attribue",
    "sollicite",
    "prévoit",
    "engage",
    "renouvelle",
    "finance",
    "étend",
    "suspend",
    "expérimente",
    "déploie",
    "installe",
]
OBJECTS = [
    "l'extension du dispositif de vidéoprotection",
    "l'installation de caméras de surveillance",
    "le déploiement de la vidéosurveillance algorithmique",
    "l'acquisition de drones",
    "la lecture automatisée de plaques d'immatriculation",
    "le marché de maintenance des caméras",
    "la convention avec l'État",
    "la subvention du FIPD",
    "le raccordement au centre de supervision",
    "des capteurs sonores",
    "un logiciel d'analyse vidéo",
    "la reconnaissance faciale",
    "la vidéoverbalisation",
    "des caméras piétons",
    "le budget d'investissement",
    "l'avenant numéro deux",
    "le lot numéro trois",
    "l'étude d'impact",
]
CLAUSES = [
    "conformément au code de la sécurité intérieure",
    "après avis de la commission",
    "pour un montant de {n} euros",
    "sur le territoire de {place}",
    "pour une durée de {n} mois",
    "vu l'avis de la CNIL",
    "considérant les besoins exprimés par les services",
    "dans le cadre du contrat de sécurité intégrée",
    "à compter du {d}",
    "selon les modalités définies en annexe",
    "sous réserve de l'accord de la préfecture",
]
PLACES = ["Nice", "Marseille", "Saint-Étienne", "Lyon", "Toulouse", "Nîmes", "Valenciennes", "Montpellier"]
KINDS = ["deliberation", "contract", "call_for_tenders", "records_answer", "report", "correspondence"]
TECHS = ["cctv", "algorithmic-video", "drones", "alpr", "audio-sensors", "facial-recognition"]
ONE_WORD = [
    "caméras",
    "drones",
    "vidéosurveillance",
    "subvention",
    "préfecture",
    "avenant",
    "capteurs",
    "CNIL",
]
MULTI = [
    "caméras piétons",
    "reconnaissance faciale",
    "marché maintenance caméras",
    "subvention FIPD",
    "drones police",
]
PHRASES = [
    '"centre de supervision"',
    '"caméras de surveillance"',
    '"lecture automatisée de plaques"',
    '"étude d\'impact"',
]


# Everyday administrative prose around the surveillance topics, so that a query word matches some
# pages and not all of them (as in real deliberations, where cameras are one item of many).
FILLER = (
    "séance ordre jour procès-verbal rapporteur vote unanimité abstention quorum budget primitif exercice "
    "crédits section fonctionnement investissement dotation globale amortissement emprunt garantie taux "
    "voirie éclairage public assainissement école cantine restauration scolaire crèche bibliothèque musée "
    "piscine gymnase stade association culturelle sportive jumelage marché hebdomadaire forains halles "
    "urbanisme permis construire plan local zonage cadastre parcelle acquisition cession bail loyer "
    "personnel titulaire contractuel recrutement grade échelon indemnité régime tickets formation "
    "cimetière concession columbarium espaces verts arbres plantation déchets collecte tri compostage "
    "transports navette stationnement parking horodateurs vélo piste cyclable trottoir chaussée travaux "
    "entreprise devis facture mandat titre recette régie trésorier comptable payeur contrôle légalité "
    "habitants quartier conseil citoyen concertation réunion publique enquête commissaire rapport avis "
    "article alinéa annexe délibération précédente modification tableau effectifs convention partenariat "
    "département région intercommunalité syndicat mixte établissement public opérateur bailleur social"
).split()


# About one sentence in twenty-five is about surveillance: a query word is on some pages, not on all.
TOPIC_SHARE_INVERSE = 0.96


def filler(rng: random.Random) -> str:
    words = rng.sample(FILLER, rng.randint(8, 18))
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} " + " ".join(words) + "."


def sentence(rng: random.Random) -> str:
    if rng.random() < TOPIC_SHARE_INVERSE:
        return filler(rng)
    clause = rng.choice(CLAUSES).format(
        n=rng.randint(2, 900_000), place=rng.choice(PLACES), d="1er mars 2024"
    )
    return f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {clause}."


def page_text(rng: random.Random, words: int) -> str:
    out, count = [], 0
    while count < words:
        s = sentence(rng)
        out.append(s)
        count += s.count(" ") + 1
    return " ".join(out)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# -- generating the corpus: chunks of documents, in parallel, each from its own seed ------------

CHUNK = 100  # documents per generated chunk
COLUMNS = (
    "entry_type, object_id, page, title, body, title_stems, body_stems, ref, kind, date, places, technologies"
)


@functools.lru_cache(maxsize=100_000)
def _stems_of_word(word: str) -> str:
    from technopolice.search.stemming import stem_text

    return stem_text(word)


def stem_text(text: str) -> str:
    """search.stemming.stem_text(text), the same string, computed a space-separated word at a time.

    Folding and splitting act within such words, so the result is the same; this corpus has few
    distinct words, whose stems are cached, which makes generating it about ten times cheaper
    (folding a whole page, character by character in unidecode, was most of the work).
    """
    return " ".join(stems for stems in map(_stems_of_word, text.split(" ")) if stems)


def generate_chunk(job: tuple[int, int, int, int]) -> list[tuple]:
    """The entry rows of documents [first, last), stemmed as search.indexing stems them.

    Each chunk has its own seed, so the corpus is the same whatever the number of processes.
    """
    first, last, seed, words_per_page = job
    rng = random.Random(seed * 1_000_003 + first)
    rows = []
    for doc_id in range(first, last):
        pages = rng.randint(2, 50)
        title = f"{rng.choice(['Délibération', 'Contrat', 'Rapport', 'Courrier'])} {rng.choice(OBJECTS)}"
        title_stems = stem_text(title)
        kind, date = rng.choice(KINDS), f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}-01"
        places, techs = f" {rng.choice(PLACES).lower()} ", f" {rng.choice(TECHS)} "
        for number in range(1, pages + 1):
            body = page_text(rng, words_per_page)
            rows.append(
                (
                    "document",
                    doc_id + 1,
                    number,
                    title,
                    body,
                    title_stems,
                    stem_text(body),
                    "",
                    kind,
                    date,
                    places,
                    techs,
                )
            )
    return rows


def corpus(args):
    """Chunks of rows as they come out of a pool of processes (one per core), in order."""
    import multiprocessing

    jobs = [
        (first, min(first + CHUNK, args.documents), args.seed, args.words_per_page)
        for first in range(0, args.documents, CHUNK)
    ]
    with multiprocessing.get_context("fork").Pool(args.processes) as pool:
        yield from pool.imap(generate_chunk, jobs)


def rows_from(args):
    """Chunks of the rows of a SQLite database this benchmark builds or built, following it as it grows.

    The same corpus (same seed, same documents) without generating it again: building both
    databases at once then costs the generation once. Its entries are read in id order, so
    they get the same ids; the SQLite build commits whole chunks of documents, so the last
    document's pages are the last rows it writes.
    """
    import sqlite3

    source = sqlite3.connect(f"file:{args.rows_from}?mode=ro", uri=True)
    last = 0
    while True:
        complete = rows_complete(source, args.documents)  # before reading: the last rows are then read
        rows = source.execute(
            f"SELECT id, {COLUMNS} FROM search_searchentry WHERE id > ? ORDER BY id LIMIT 5000",  # noqa: S608
            [last],
        ).fetchall()
        if rows:
            last = rows[-1][0]
            yield [row[1:] for row in rows]
        elif complete:
            return
        else:
            time.sleep(5)


def rows_complete(source, documents: int) -> bool:
    newest = source.execute("SELECT MAX(object_id) FROM search_searchentry WHERE entry_type = 'document'")
    return (newest.fetchone()[0] or 0) >= documents


# -- the worker: one backend, in its own process (Django settings are per process) -------------


def worker(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    saved = Path(args.keep) / f"{connection.vendor}-index.json" if args.keep else None
    if saved and saved.exists():  # a kept database: its indexing figures were measured when it was built
        indexed = json.loads(saved.read_text())
    else:
        indexed = index(args, connection) | {"size_mb": index_size(connection)}
        if saved:
            saved.write_text(json.dumps(indexed))
    return {"vendor": connection.vendor, **indexed, "queries": time_queries(args)}


def index(args, connection) -> dict:
    """Bulk load, then build the full-text index once, as a rebuild of a large corpus would.

    Generation and stemming run in a pool of processes while this one inserts; the full-text
    structure (FTS5 table, GIN index) is built after the rows are in, which is far cheaper than
    updating it row by row. Its build time is reported apart.
    """
    import importlib

    from django.db import transaction

    fulltext = importlib.import_module("technopolice.search.migrations.0002_fulltext")
    # the GIN index as the newest migration defines it (0007: words, blocks and spans of ids, kind)
    gin = importlib.import_module("technopolice.search.migrations.0007_vector_span_index")
    pages_total, started = 0, time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX search_entry_vector_blocks_kind")
        else:
            cursor.execute("DROP TRIGGER search_fts_insert")
    for chunk in rows_from(args) if args.rows_from else corpus(args):
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY search_searchentry ({COLUMNS}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO search_searchentry ({COLUMNS}) VALUES ({', '.join(['%s'] * 12)})",  # noqa: S608
                    chunk,
                )
        pages_total += len(chunk)
        print(f"  loaded {chunk[-1][1]}/{args.documents} documents", file=sys.stderr, end="\r")
    loaded = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute(gin.POSTGRES_FORWARD[0])
            cursor.execute("ANALYZE search_searchentry")
        else:
            cursor.execute(fulltext.SQLITE_FORWARD[1])  # the insert trigger again
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    done = time.perf_counter()
    return {
        "rows_from": args.rows_from or "",
        "documents": args.documents,
        "pages": pages_total,
        "index_seconds": done - started,
        "fulltext_seconds": done - loaded,
    }


def index_size(connection) -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return cursor.fetchone()[0] / 1e6
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(connection.settings_dict["NAME"]).stat().st_size / 1e6


def time_queries(args) -> dict:
    """Each kind of query through the search page's own path, and as the engine's bare query.

    "full" is search.views.search_page: the bounded match and rank, grouping by record, the
    count, the entries and their snippets. "bare" is the engine ranking every matching page
    (with the same filters) for the top 20, which is what the search did before it was bounded:
    it takes seconds on a large corpus, so it is timed on fewer queries (--bare-queries).
    """
    import datetime

    from technopolice.search.backends import Filters, get_backend
    from technopolice.search.query import parse
    from technopolice.search.views import search_page

    backend, rng = get_backend(), random.Random(args.seed + 1)
    filtered = Filters(types=["document"], kind="contract", date_from=datetime.date(2018, 1, 1))
    kinds = {
        "one word": (ONE_WORD, Filters()),
        "multi-word": (MULTI, Filters()),
        "phrase": (PHRASES, Filters()),
        "filtered": (ONE_WORD, filtered),
    }
    results = {}
    for name, (pool, filters) in kinds.items() if args.queries else ():  # --queries 0: indexing only
        full, bare, counts, capped = [], [], [], 0
        for number in range(args.queries):
            text = rng.choice(pool)
            started = time.perf_counter()
            _rows, page, was_capped = search_page(text, filters, 1)
            full.append((time.perf_counter() - started) * 1000)
            counts.append(page.paginator.count)
            capped += was_capped
            if number < args.bare_queries:
                started = time.perf_counter()
                backend.bare(parse(text), filters, 20)
                bare.append((time.perf_counter() - started) * 1000)
        results[name] = {
            "full": full,
            "bare": bare,
            "matches": statistics.median(counts),
            "capped": capped / len(full),
        }
    return results


# -- the driver: runs one worker per backend and prints them side by side -----------------------


def run_backend(name: str, args) -> dict:
    """One backend's figures, from a fresh database that is dropped afterwards (unless --keep)."""
    data_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="tp-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="technopolice.settings")
    url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG)
    base, dbname = url.rsplit("/", 1)
    if name == "postgres":
        if not (data_dir / "postgresql-index.json").exists():
            psql(base, f"DROP DATABASE IF EXISTS {dbname}")
            psql(base, f"CREATE DATABASE {dbname}")
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, __file__, "--worker", *sys.argv[1:]]
    try:
        output = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: S603
    except subprocess.CalledProcessError as error:
        print(error.stderr, file=sys.stderr)
        raise
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if name == "postgres":
                psql(base, f"DROP DATABASE IF EXISTS {dbname}")
    return json.loads(output.stdout)


def psql(base: str, sql: str) -> None:
    subprocess.run(["psql", base + "/postgres", "-qc", sql], check=True)  # noqa: S603, S607


def report(results: dict[str, dict]) -> None:
    names = list(results)
    print(f"\n{'':32}" + "".join(f"{n:>24}" for n in names))
    for label, key, fmt in (
        ("documents", "documents", "{:.0f}"),
        ("pages", "pages", "{:.0f}"),
        ("indexing (s)", "index_seconds", "{:.1f}"),
        ("  of which full-text index (s)", "fulltext_seconds", "{:.1f}"),
        ("index size (MB)", "size_mb", "{:.0f}"),
    ):
        print(f"{label:32}" + "".join(f"{fmt.format(results[n][key]):>24}" for n in names))
    for name, r in results.items():
        print(
            f"indexing throughput {name}: {r['documents'] / r['index_seconds']:.0f} documents/s, "
            f"{r['pages'] / r['index_seconds']:.0f} pages/s"
        )
    print(f"\n{'query (ms)':32}" + "".join(f"{n + ' p50/p95':>24}" for n in names))
    for query in results[names[0]]["queries"]:
        for path in ("full", "bare"):
            cells = []
            for n in names:
                times = results[n]["queries"][query][path]
                cells.append(f"{percentile(times, 0.5):.1f} / {percentile(times, 0.95):.1f}")
            print(f"{query + ' (' + path + ')':32}" + "".join(f"{c:>24}" for c in cells))
        cells = [results[n]["queries"][query] for n in names]
        print(
            f"{'  median results, capped':32}"
            + "".join(f"{c['matches']:>16.0f}, {c['capped']:>6.0%}" for c in cells)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000, help="documents to index (default: 100000)")
    parser.add_argument("--words-per-page", type=int, default=300)
    parser.add_argument("--queries", type=int, default=50, help="queries timed per kind (0: index only)")
    parser.add_argument("--bare-queries", type=int, default=10, help="of which also timed bare")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--processes", type=int, default=os.cpu_count(), help="generating processes")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the databases (SQLite file in DIR, PostgreSQL database not dropped) and, when DIR "
        "already holds them, time the queries again without indexing",
    )
    parser.add_argument(
        "--rows-from",
        metavar="SQLITE_FILE",
        help="load the entries of this SQLite database of the benchmark (same --documents), following it "
        "while it is built, instead of generating them again; for --backends postgres",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.worker:
        print(json.dumps(worker(args)))
        return
    results = {}
    for name in args.backends.split(","):
        print(f"{name}: indexing {args.documents} documents...", file=sys.stderr)
        results[name] = run_backend(name, args)
        # Each backend's figures as soon as they exist: a long run cut short still reports them.
        print(f"{name}: {json.dumps(summary(results[name]))}", file=sys.stderr, flush=True)
    report(results)


def summary(result: dict) -> dict:
    times = {
        f"{query} {path}": [round(percentile(t[path], q), 1) for q in (0.5, 0.95)]
        for query, t in result["queries"].items()
        for path in ("full", "bare")
    }
    keys = ("documents", "pages", "index_seconds", "fulltext_seconds", "size_mb")
    return {k: result[k] for k in keys} | times


if __name__ == "__main__":
    main()
