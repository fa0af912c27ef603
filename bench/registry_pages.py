"""Registry benchmark: server time of the busiest registry pages over 10,000 dossiers.

Fills a fresh database (SQLite in a temporary folder, then PostgreSQL) with the real French
communes and N dossiers spread over them by population, then prints the median (p50) and 95th
percentile (p95) time of:

- the home page (the facets of every dossier, the latest ones),
- the unfiltered dossier list, under each sort,
- the filtered dossier list (technology + region + status, the facets the page computes too),
- the text search (accent- and case-insensitive words over titles and descriptions),
- the text search within a region, under each sort,
- a commune page (its dossiers, and those of its department, region and the whole country),

each beside the bare ORM query behind it (the filtered, sorted first page with its links
and the count), so the cost of the view, facets, middleware and template shows as the difference.
Pages are requested in-process through Django's test client (no network), cycling over several
URLs of each kind; every answer must be a 200 showing dossiers, or the benchmark stops.

    ./dev bench                                  # everything, default sizes
    .venv/bin/python bench/registry_pages.py --dossiers 2000 --repeat 20 --databases sqlite

BENCH_DATABASE_URL names the PostgreSQL database (created and dropped here; default
postgres://postgres@127.0.0.1:5432/tp_bench). Target: p95 under 50 ms per page on both.

BENCH_FACETS=sql counts the facets in SQL instead of from the per-process facet index
(registry.facets), to compare the two ways (benchmark only; the site has one).
"""

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
COMMUNE_SECTION = 20  # dossiers a commune page lists in its own section (registry.views.places)
MARKER = "BENCH-RESULT "
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tp_bench"
TARGET_MS = 50
SORTS = ("date", "name", "-date", "place")
PAGES = ("home", "all", "list", "search", "search+region", "commune")
GAZETTEER_DIRS = [ROOT / "samples" / "communes"]  # the real communes, shipped with the repository


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=10_000, help="dossiers to create (default 10,000)")
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page kind (default 60)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2019, help="random seed, for comparable runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options, _unknown = parser.parse_known_args(argv)  # other benchmarks' options are not ours
    if options.dossiers < 100 or options.repeat < 5:
        parser.error("--dossiers must be at least 100 and --repeat at least 5")
    return options


# --- The parent: one child process per database, then the table ---------------------------------


def recreate_postgres(url: str) -> str | None:
    """Drop and create the benchmark database; None when it worked, else why not."""
    import psycopg

    from technopolice.testing.databases import recreate_database

    try:
        recreate_database(url)
    except psycopg.Error as error:
        return str(error).strip()
    return None


def run_child(
    database: str, argv: list[str], script: str = __file__, postgres: str = DEFAULT_POSTGRES
) -> dict | str:
    """The figures for one database, or a sentence saying why there are none; ``script`` (another
    benchmark that shares this set-up) runs as the child, on ``postgres`` unless told otherwise."""
    from technopolice.testing.databases import drop_database

    with tempfile.TemporaryDirectory(prefix="tp-bench-") as data_dir:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="technopolice.settings")
        if database == "postgresql":
            env["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", postgres)
            if problem := recreate_postgres(env["DATABASE_URL"]):
                return f"PostgreSQL not reachable: {problem}"
        command = [sys.executable, script, "--child", *argv]
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=False)
        if database == "postgresql":
            drop_database(env["DATABASE_URL"])
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    if result.returncode or not lines:
        return f"failed (exit {result.returncode}): see the messages above"
    return json.loads(lines[-1].removeprefix(MARKER))


def cell(figures: list[float] | None) -> str:
    return f"{figures[0]:>9.1f}{figures[1]:>9.1f}" if figures else f"{'n/a':>9}{'n/a':>9}"


def print_table(results: dict[str, dict | str]) -> None:
    print("\nServer time in milliseconds; ORM = the bare query behind the page (first page + count).")
    print(f"{'':14}" + "".join(f"| {db:<36}" for db in results))
    print(f"{'':14}" + f"| {'page p50':>9}{'p95':>9}{'ORM p50':>9}{'p95':>9}" * len(results))
    for page in PAGES:
        row = f"{page:14}"
        for figures in results.values():
            timed = figures["pages"][page] if isinstance(figures, dict) else {"page": None, "orm": None}
            row += f"| {cell(timed['page'])}{cell(timed['orm'])}"
        print(row)
    for database, figures in results.items():
        print(f"\n{database}: " + (describe(figures) if isinstance(figures, dict) else figures))


def describe(figures: dict) -> str:
    timed = [figures["pages"][page]["page"] for page in PAGES if figures["pages"][page]["page"]]
    worst = max((p95 for _p50, p95 in timed), default=None)
    verdict = (
        f"worst page p95 {worst:.1f} ms: {'meets' if worst < TARGET_MS else 'MISSES'} the "
        f"{TARGET_MS} ms target"
        if worst is not None
        else "no page timed"
    )
    rows = ", ".join(f"{page} {figures['pages'][page]['rows']:.0f}" for page in PAGES)
    index = figures.get("index_ms")
    built = f"; facet index (built once per process after a change): {index:.0f} ms" if index else ""
    return (
        f"{figures['dossiers']:,} dossiers over {figures['communes']:,} communes, filled in "
        f"{figures['fill_seconds']:.0f} s; average dossiers matched per request: {rows}{built}; {verdict}."
    )


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.child:
        return child(options)
    results = {db: run_child(db, argv) for db in options.databases.split(",") if db}
    print_table(results)
    return print_load(results)


def print_load(results: dict[str, dict | str]) -> int:
    """Say the machine's load after the table; the exit status: 1 when a database has no figures."""
    # Times are wall-clock: on a shared machine, the load says how far to trust them.
    print(
        f"\nLoad average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs."
    )
    return 0 if all(isinstance(figures, dict) for figures in results.values()) else 1


# --- The child: fill one database and time the pages ---------------------------------------------


def child(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    communes = load_communes()
    started = time.perf_counter()
    fill(options.dossiers, random.Random(options.seed))
    fill_seconds = time.perf_counter() - started
    analyse()
    swap_facet_counts(os.environ.get("BENCH_FACETS", ""))
    index_ms = time_facet_index()
    settle_like_a_server()
    cases = Cases(random.Random(options.seed))
    pages = {page: measure(cases, page, options.repeat) for page in PAGES}
    figures = {
        "dossiers": options.dossiers,
        "communes": communes,
        "fill_seconds": fill_seconds,
        "index_ms": index_ms,
        "pages": pages,
    }
    print(MARKER + json.dumps(figures), flush=True)
    return 0


def settle_like_a_server() -> None:
    """What technopolice.wsgi does once the application is loaded (garbage collector settings)."""
    try:
        from technopolice.lib.runtime import settle_after_startup
    except ImportError:
        return
    settle_after_startup()


def swap_facet_counts(way: str) -> None:
    """Benchmark only: facets counted in SQL, three grouped queries over the ids the list found
    (written in as integers) or over every dossier, in place of registry.facets' index."""
    if not way:
        return
    if way != "sql":
        sys.exit(f"BENCH_FACETS={way}: expected sql")
    from collections import Counter

    from django.db import connection
    from django.db.models import BooleanField, Count, F, Func, Q

    from technopolice.lib.idlists import integer_list
    from technopolice.pages import views as home_views
    from technopolice.registry import facets
    from technopolice.registry.models import Dossier

    def among(field: str, ids) -> Q:
        if ids is None:
            return Q()
        template = f"%(expressions)s IN {integer_list(ids)}"
        return Q(Func(F(field), template=template, output_field=BooleanField()))

    def grouped(queryset, key: str) -> Counter:
        rows = queryset.order_by().values(key).annotate(n=Count("pk")).values_list(key, "n")
        return Counter(dict(rows))

    def regions(ids) -> Counter:
        paths = [
            ("regions", "region"),
            ("departments", "department__region"),
            ("communes", "commune__department__region"),
        ]
        first, *others = [
            Dossier.link_table(field)
            .objects.filter(among("dossier_id", ids))
            .annotate(d=F("dossier_id"), r=F(region))
            .values_list("d", "r")
            .order_by()
            for field, region in paths
        ]
        sql, params = first.union(*others, all=True).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT r, COUNT(DISTINCT d) FROM ({sql}) pairs GROUP BY r", params)  # noqa: S608
            return Counter(dict(cursor.fetchall()))

    def sql_counts(ids=None) -> dict[str, Counter]:
        ids = None if ids is None else list(ids)
        if ids == []:
            return {"status": Counter(), "technology": Counter(), "region": Counter()}
        return {
            "status": grouped(Dossier.objects.filter(among("pk", ids)), "status"),
            "technology": grouped(
                Dossier.link_table("technologies").objects.filter(among("dossier_id", ids)), "technology_id"
            ),
            "region": regions(ids),
        }

    print("Facets counted in SQL", file=sys.stderr, flush=True)
    facets.counts = home_views.counts = sql_counts


def time_facet_index() -> float | None:
    """What the first list request after any change pays once per process: the facet index."""
    try:
        from technopolice.registry.facets import build_index
    except ImportError:
        return None
    started = time.perf_counter()
    build_index()
    return (time.perf_counter() - started) * 1000


def analyse() -> None:
    """Fresh statistics for the planner, as autovacuum would give a real database after a bulk load."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def load_communes() -> int:
    """The real gazetteer: the import_communes command when this tree has it, else a minimal loader."""
    from django.core.management import call_command, get_commands

    from technopolice.registry.models import Commune

    folder = next((d for d in GAZETTEER_DIRS if (d / "communes.csv").exists()), None)
    if folder is None:
        sys.exit(f"No communes.csv in any of {', '.join(map(str, GAZETTEER_DIRS))}")
    print(f"Loading the communes from {folder}", file=sys.stderr, flush=True)
    if "import_communes" in get_commands():
        call_command("import_communes", str(folder), verbosity=0)
    else:
        minimal_gazetteer(folder)
    return Commune.objects.count()


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def minimal_gazetteer(folder: Path) -> None:
    """Regions, departments and plain communes (no arrondissements): enough to spread dossiers."""
    from technopolice.lib.text import fold
    from technopolice.registry.models import Commune, Department, Region

    regions = {
        r["insee_reg"]: Region(code=r["insee_reg"], name=r["region_article"], slug=f"r-{r['insee_reg']}")
        for r in read_csv(folder / "regions.csv")
    }
    Region.objects.bulk_create(regions.values())
    departments = {
        d["insee_dep"]: Department(
            code=d["insee_dep"],
            name=d["departement_article"],
            slug=f"d-{d['insee_dep']}",
            region=regions[d["insee_reg"]],
        )
        for d in read_csv(folder / "departements.csv")
    }
    Department.objects.bulk_create(departments.values())
    rows = {
        r["insee_com"]: r
        for r in read_csv(folder / "communes.csv")
        if r["commune_type"] == "COM" and r["insee_dep"] in departments
    }
    Commune.objects.bulk_create(
        [
            Commune(
                insee=code,
                name=r["commune_article"],
                slug=f"{fold(r['commune_article']).replace(' ', '-')}-{code}",
                department=departments[r["insee_dep"]],
                population=int(float(r["population_2021"] or 0)),
                search_name=fold(r["commune_article"]),
            )
            for code, r in rows.items()
        ],
        batch_size=2000,
    )


TECHNOLOGIES = [
    ("videosurveillance", "Vidéosurveillance", "CCTV"),
    ("videosurveillance-algorithmique", "Vidéosurveillance algorithmique", "Algorithmic video surveillance"),
    ("reconnaissance-faciale", "Reconnaissance faciale", "Facial recognition"),
    ("lecture-de-plaques", "Lecture automatisée de plaques", "Licence-plate readers"),
    ("drones", "Drones", "Drones"),
    ("capteurs-sonores", "Capteurs sonores", "Audio sensors"),
    ("police-predictive", "Police prédictive", "Predictive policing"),
    ("fichiers-de-police", "Fichiers de police", "Police files"),
    ("centre-de-supervision-urbain", "Centre de supervision urbain", "Urban supervision centre"),
]
STATUSES = [
    "announced",
    "experimentation",
    "deployed",
    "deployed",
    "deployed",
    "suspended",
    "abandoned",
    "struck_down",
    "unknown",
]
PHRASES = [
    "La municipalité a voté l'extension du dispositif lors du conseil municipal.",
    "Le contrat a été attribué après un appel d'offres financé en partie par le FIPD.",
    "Une association locale conteste le projet devant le tribunal administratif.",
    "La CNIL a été saisie par des habitants inquiets du traitement de leurs données.",
    "Les images sont visionnées depuis un centre de supervision urbain ouvert jour et nuit.",
    "L'expérimentation devait durer six mois avant une éventuelle généralisation.",
]


def fill(count: int, rng: random.Random) -> None:
    """Technologies, 120 organisations and `count` dossiers with places, a source and an event each."""
    from tqdm import tqdm

    from technopolice.registry.models import Commune, Dossier, Organisation, Technology

    # The taxonomy a migration seeds, when this tree has it; else a small one of our own.
    technologies = list(Technology.objects.all()) or Technology.objects.bulk_create(
        [Technology(slug=s, name_fr=fr, name_en=en, position=i) for i, (s, fr, en) in enumerate(TECHNOLOGIES)]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Entreprise {i}", slug=f"entreprise-{i}", search_text=f"entreprise {i}")
            for i in range(120)
        ]
    )
    communes = list(Commune.objects.select_related("department__region").filter(population__gt=0))
    weights = [c.population for c in communes]
    rows = [random_dossier(i, rng, communes, weights, technologies, organisations) for i in range(count)]
    with tqdm(total=count, desc="dossiers", file=sys.stderr) as progress:
        for start in range(0, count, 1000):
            batch = rows[start : start + 1000]
            Dossier.objects.bulk_create([row["dossier"] for row in batch])
            link_batch(batch)
            progress.update(len(batch))


def random_dossier(i, rng, communes, weights, technologies, organisations) -> dict:
    """One plausible dossier: mostly one commune (big towns more often), some wider places."""
    from technopolice.lib.text import fold
    from technopolice.registry.models import Dossier

    commune = rng.choices(communes, weights=weights)[0]
    techs = rng.sample(technologies, rng.choice([1, 1, 1, 2, 3]))
    scope = rng.random()
    places = {"communes": [commune] if scope < 0.95 else [], "departments": [], "regions": []}
    if 0.95 <= scope < 0.985:
        places["departments"] = [commune.department]
    elif 0.985 <= scope < 0.995:
        places["regions"] = [commune.department.region]
    start = date(2008, 1, 1) + timedelta(days=rng.randrange(18 * 365))
    place_names = [p.name for values in places.values() for p in values]
    title = f"{techs[0].name_fr} à {place_names[0] if place_names else 'l’échelle nationale'} ({start.year})"
    description = " ".join(rng.sample(PHRASES, 3))
    operator, vendors = rng.choice(organisations), rng.sample(organisations, rng.choice([0, 1, 1, 2]))
    dossier = Dossier(
        title=title,
        slug=f"bench-{i}",
        status=rng.choice(STATUSES),
        description=description,
        is_national=scope >= 0.995,
        operator=operator,
        start_date=start,
        end_date=start + timedelta(days=rng.randrange(30, 900)) if rng.random() < 0.3 else None,
        budget_eur=rng.randrange(5_000, 3_000_000),
        camera_count=rng.randrange(0, 400),
        last_checked=start + timedelta(days=rng.randrange(0, 1500)),
        search_text=fold(
            " ".join(
                [
                    title,
                    description,
                    *place_names,
                    operator.name,
                    *(v.name for v in vendors),
                    *(t.name_fr + " " + t.name_en for t in techs),
                ]
            )
        ),
    )
    return {"dossier": dossier, "technologies": techs, "vendors": vendors, **places}


def link_batch(batch: list[dict]) -> None:
    """The many-to-many rows, one source and one dated event per dossier, in a few inserts."""
    from technopolice.registry.models import Dossier, Event, Source

    for field, column in [
        ("technologies", "technology"),
        ("vendors", "organisation"),
        ("communes", "commune"),
        ("departments", "department"),
        ("regions", "region"),
    ]:
        through = getattr(Dossier, field).through
        through.objects.bulk_create(
            [through(dossier=row["dossier"], **{column: value}) for row in batch for value in row[field]]
        )
    Source.objects.bulk_create(
        [
            Source(
                dossier=row["dossier"],
                url=f"https://example.org/{row['dossier'].slug}",
                title="Délibération du conseil municipal",
                kind="deliberation",
            )
            for row in batch
        ]
    )
    Event.objects.bulk_create(
        [
            Event(
                dossier=row["dossier"],
                date=row["dossier"].start_date,
                kind="deployment",
                title="Mise en service",
            )
            for row in batch
        ]
    )


# --- What is timed -------------------------------------------------------------------------------


class Cases:
    """The URLs of each page kind, and the bare ORM query each of them runs, built from the data."""

    def __init__(self, rng: random.Random):
        from django.db.models import Count

        from technopolice.registry.models import Commune, Dossier

        self.rng = rng
        busy = Commune.objects.annotate(n=Count("dossiers")).filter(n__gt=0).order_by("-n")
        self.communes = list(busy[:5]) + rng.sample(list(busy[5:500]), 5)
        # Filters taken from deployed dossiers, so that each matches at least one whatever the size.
        deployed = Dossier.objects.filter(status="deployed", communes__isnull=False).order_by("pk")
        self.filters = [
            {
                "technology": d.technologies.first().slug,
                "region": d.communes.first().department.region.slug,
                "status": "deployed",
            }
            for d in rng.sample(list(deployed[:2000]), 10)
        ]
        # Words from the data, accented and capitalised as people type them: "Vidéosurveillance Marseille".
        self.searches = ["fipd", "tribunal administratif"] + [
            f"{c.dossiers.first().technologies.first().name_fr.split()[0]} {c.name}"
            for c in self.communes[:6]
        ]
        # Words found in many dossiers, within a region, under each sort.
        self.region_searches = [
            {"q": query, "region": f["region"], "sort": sort}
            for f, query, sort in zip(
                self.filters,
                ["fipd", "tribunal", "CNIL", "Vidéosurveillance"] * 3,
                ["date", "name", "-date", "place"] * 3,
                strict=False,
            )
        ]

    def urls(self, page: str) -> list[str]:
        from django.urls import reverse

        if page == "commune":
            return [c.get_absolute_url() for c in self.communes]
        if page == "home":
            return [reverse("pages:home")]
        base = reverse("registry:dossier_list")
        if page == "all":
            return [f"{base}?{urlencode({'sort': sort})}" for sort in SORTS]
        if page == "search":
            return [f"{base}?{urlencode({'q': q})}" for q in self.searches]
        if page == "search+region":
            return [f"{base}?{urlencode(data)}" for data in self.region_searches]
        return [f"{base}?{urlencode(f)}" for f in self.filters]

    def queries(self, page: str) -> list:
        if page == "commune":
            return [lambda c=c: commune_query(c) for c in self.communes]
        if page == "home":
            return [home_query]
        if page == "all":
            return [lambda sort=sort: list_query({"sort": sort}) for sort in SORTS]
        if page == "search":
            return [lambda q=q: list_query({"q": q}) for q in self.searches]
        if page == "search+region":
            return [lambda data=data: list_query(data) for data in self.region_searches]
        return [lambda f=f: list_query(f) for f in self.filters]


def page_of(queryset, size: int | None = None) -> int:
    """What a paginated list fetches: the first page, its rows' links and the total count.

    Done as the pages do it when this tree has their helpers (one scan for a filtered list,
    links in one query per relation), else as Django's paginator does; returns the count.
    """
    try:
        from technopolice.lib.pagination import paginator_for
        from technopolice.registry.listing import attach_links
        from technopolice.registry.views.common import PER_PAGE
    except ImportError:
        list(queryset[: size or 50])
        return queryset.count()
    try:  # rows read by id alone, as the list page does, in trees where the paginator can
        paginator = paginator_for(queryset, size or PER_PAGE, rows=base_queryset())
    except TypeError:
        paginator = paginator_for(queryset, size or PER_PAGE)
    page = paginator.page(1)
    attach_links(page.object_list)
    return page.paginator.count


def base_queryset():
    try:  # the list page's own queryset (select/prefetch), once the browse pages are in this tree
        from technopolice.registry.views.browse import listed_dossiers
    except ImportError:
        from technopolice.registry.models import Dossier

        return Dossier.objects.select_related("operator").prefetch_related("communes", "technologies")
    return listed_dossiers()


def list_query(raw: dict) -> int:
    """The dossier list's query: its own filter code when present, else the equivalent ORM."""
    try:
        from technopolice.registry import filters
    except ImportError:
        return page_of(plain_filter(raw))
    form = filters.DossierFilterForm(raw)
    assert form.is_valid(), form.errors
    data = form.cleaned_data
    return page_of(filters.sort_dossiers(filters.filter_dossiers(base_queryset(), data), data.get("sort")))


def plain_filter(raw: dict):
    from django.db.models import Q

    from technopolice.lib.text import words

    queryset = base_queryset()
    for word in words(raw.get("q", "")):
        queryset = queryset.filter(search_text__contains=word)
    if "technology" in raw:
        region = Q(communes__department__region__slug=raw["region"]) | Q(
            departments__region__slug=raw["region"]
        )
        queryset = queryset.filter(
            region, technologies__slug=raw["technology"], status=raw["status"]
        ).distinct()
    return queryset.order_by("-start_date", "pk")


def home_query() -> int:
    """The home page's registry part: the latest dossiers with their links, and every dossier's
    facets (the counts per technology and region it shows); returns the number of dossiers."""
    from technopolice.registry import facets
    from technopolice.registry.listing import attach_links

    attach_links(list(base_queryset().order_by("-created_at", "-pk")[:6]))
    return sum(facets.counts()["status"].values())


def commune_query(commune) -> int:
    """A commune page's sections (its own dossiers, then those covering it from above) with
    their rows and links, as the page reads them; in older trees, its main section only."""
    try:
        from technopolice.registry.filters import in_commune
        from technopolice.registry.sections import filled, section
        from technopolice.registry.views.places import wider_sections
    except ImportError:
        return main_section_query(commune)
    own, *_wider = filled(section("own", in_commune(commune)), *wider_sections(commune))
    return own.count


def main_section_query(commune) -> int:
    try:
        from technopolice.registry.filters import in_commune
    except ImportError:
        return page_of(base_queryset().filter(communes=commune).order_by("-start_date", "title"))
    queryset = base_queryset().filter(in_commune(commune)).order_by("-start_date", "title")
    return page_of(queryset, COMMUNE_SECTION)


def percentiles(samples: list[float]) -> list[float]:
    return [statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]]


def timed_get(client, url: str) -> tuple:
    """(response, wall ms, this process's CPU ms) of one request: CPU time stays steady on a busy
    machine where wall time doubles, so the page benchmarks print both."""
    started, started_cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    return response, (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def time_calls(calls: list, repeat: int) -> tuple[list[float], list]:
    for call in calls:  # warm-up: connections, template and translation caches
        call()
    samples, results = [], []
    for i in range(repeat):
        started = time.perf_counter()
        results.append(calls[i % len(calls)]())
        samples.append((time.perf_counter() - started) * 1000)
    return samples, results


def measure(cases: Cases, page: str, repeat: int) -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch

    orm_samples, counts = time_calls(cases.queries(page), repeat)
    figures = {"page": None, "orm": percentiles(orm_samples), "rows": statistics.mean(counts)}
    try:
        urls = cases.urls(page)
    except NoReverseMatch:
        print(f"  {page}: the page is not in this tree yet, only its query is timed", file=sys.stderr)
        return figures
    client = Client(HTTP_HOST="127.0.0.1")
    page_samples, _ = time_calls([lambda url=url: checked(client.get(url), url) for url in urls], repeat)
    print(f"  {page}: {len(urls)} URLs, e.g. {urls[-1]}", file=sys.stderr, flush=True)
    return {**figures, "page": percentiles(page_samples)}


def checked(response, url: str):
    """Refuse to time an error page: the figures would flatter a broken view."""
    if response.status_code != 200 or b"/dossiers/bench-" not in response.content:
        sys.exit(f"{url} answered {response.status_code} without dossiers: the figures would mean nothing")
    return response


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
