"""Collectives benchmark: server time of the directory, the search by place and a department's
iCalendar feed, with 5,000 collectives and 50,000 events.

Fills a fresh database (SQLite in a temporary folder, then PostgreSQL) with the real French
communes, N listed collectives (a sixth of them dormant) each covering one to three communes of a
department, chosen by population, a tenth of them the whole department too, and M events of
those collectives or of the moderators, dated from three years ago to six months ahead over the
departments; then prints the median (p50) and 95th percentile (p95) time of:

- ``directory``: the directory's first page (/collectifs/),
- ``near``: the directory searched by place, within 30 km of a big city ("Nice (06)"),
- ``near.json``: the same search's JSON twin,
- ``ical``: a department's iCalendar feed (its upcoming events and those of the last 30 days),
  the five busiest departments and five others,
- ``ical.cold``: the same feeds with Django's cache emptied before each request (not timed), as
  the first request after an event changes finds it; printed, not held to the target.

Pages are requested in-process through Django's test client (no network), cycling over several
URLs of each kind; every answer must be a 200 showing bench data, or the benchmark stops.

    ./dev bench                                                  # every benchmark, default sizes
    .venv/bin/python bench/collectives.py --collectives 500 --events 5000 --repeat 50 --databases sqlite

BENCH_DATABASE_URL names the PostgreSQL database (created and dropped here; default
postgres://postgres@127.0.0.1:5432/tp_bench_collectives). Target: p95 under 50 ms per page on both.
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from urllib.parse import urlencode

from registry_pages import (
    analyse,
    load_communes,
    percentiles,
    print_load,
    run_child,
    settle_like_a_server,
    timed_get,
)

MARKER = "BENCH-RESULT "
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tp_bench_collectives"
TARGET_MS = 50
RADIUS_KM = 30
PAGES = ("directory", "near", "near.json", "ical", "ical.cold")
# What people wait for; "ical.cold" (the feed with the cache emptied before each request: the first
# request after an event changes) is printed to say what a miss costs, not held to the target.
TARGETED = PAGES[:4]
# Where people would look for a collective: big cities, typed as the form asks ("Name (department)").
CITIES = [
    "Paris (75)",
    "Marseille (13)",
    "Lyon (69)",
    "Toulouse (31)",
    "Nice (06)",
    "Nantes (44)",
    "Strasbourg (67)",
    "Montpellier (34)",
    "Bordeaux (33)",
    "Lille (59)",
]


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--collectives", type=int, default=5_000, help="collectives to create (default 5,000)"
    )
    parser.add_argument("--events", type=int, default=50_000, help="events to create (default 50,000)")
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per page kind (default 200)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2019, help="random seed, for comparable runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options, _unknown = parser.parse_known_args(argv)  # other benchmarks' options are not ours
    if options.collectives < 100 or options.events < 100 or options.repeat < 5:
        parser.error("--collectives and --events must be at least 100, --repeat at least 5")
    return options


# --- The parent: one child process per database, then the table ---------------------------------


def print_table(results: dict[str, dict | str]) -> None:
    print("\nServer time in milliseconds, through Django's test client; CPU p50: this process's CPU time")
    print(
        "per request (SQLite's work included, PostgreSQL's not), steadier than wall time on a busy machine."
    )
    print(f"{'':11}" + "".join(f"| {db:<36}" for db in results))
    print(f"{'':11}" + f"| {'p50':>8}{'p95':>8}{'CPU p50':>9}{'rows':>10} " * len(results))
    for page in PAGES:
        row = f"{page:11}"
        for figures in results.values():
            timed = figures["pages"][page] if isinstance(figures, dict) else None
            row += (
                f"| {timed['p50']:>8.1f}{timed['p95']:>8.1f}{timed['cpu']:>9.1f}{timed['rows']:>10.0f} "
                if timed
                else f"| {'n/a':>35} "
            )
        print(row)
    print("(rows, averaged over the URLs: links to collectives on the page; for near.json, the collectives")
    print(f" found within {RADIUS_KM} km; for ical, the events in the feed)")
    for database, figures in results.items():
        print(f"\n{database}: " + (describe(figures) if isinstance(figures, dict) else figures))


def describe(figures: dict) -> str:
    worst = max(figures["pages"][page]["p95"] for page in TARGETED)
    meets = "meets" if worst < TARGET_MS else "MISSES"
    verdict = f"worst page p95 {worst:.1f} ms: {meets} the {TARGET_MS} ms target"
    return (
        f"{figures['collectives']:,} collectives and {figures['events']:,} events over "
        f"{figures['communes']:,} communes, filled in {figures['fill_seconds']:.0f} s; {verdict}."
    )


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.child:
        return child(options)
    results = {
        db: run_child(db, argv, __file__, DEFAULT_POSTGRES) for db in options.databases.split(",") if db
    }
    print_table(results)
    return print_load(results)


# --- The child: fill one database and time the pages ---------------------------------------------


def child(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    communes = load_communes()
    rng = random.Random(options.seed)
    started = time.perf_counter()
    fill_collectives(options.collectives, rng)
    fill_events(options.events, rng)
    fill_seconds = time.perf_counter() - started
    analyse()
    settle_like_a_server()
    cases = Cases(rng)
    pages = {page: measure(page, cases.urls(page), options.repeat) for page in PAGES}
    figures = {
        "collectives": options.collectives,
        "events": options.events,
        "communes": communes,
        "fill_seconds": fill_seconds,
        "pages": pages,
    }
    print(MARKER + json.dumps(figures), flush=True)
    return 0


NAMES = [
    "Technopolice {}",
    "Collectif contre la vidéosurveillance de {}",
    "Vigilance libertés {}",
    "Observatoire des caméras de {}",
    "{} sans surveillance",
    "Quartiers libres {}",
]
PHRASES = [
    "Nous documentons les caméras installées dans nos rues et les contrats qui les financent.",
    "Réunion publique chaque premier mardi du mois, ouverte à toutes et à tous.",
    "Nous demandons les délibérations du conseil municipal et les études d'impact.",
    "Balades cartographiques pour recenser les caméras, le samedi matin.",
    "Nous contestons l'expérimentation de la vidéosurveillance algorithmique.",
    "Contactez-nous par le formulaire : un ou une organisatrice vous répondra.",
]


def fill_collectives(count: int, rng: random.Random) -> None:
    """``count`` listed collectives over communes chosen by population, with their places."""
    from django.utils import timezone
    from tqdm import tqdm

    from technopolice.collectives.models import Collective
    from technopolice.lib.text import fold
    from technopolice.registry.models import Commune

    communes = list(Commune.objects.filter(kind="COM", population__gt=0, latitude__isnull=False))
    by_department: dict[int, list] = {}
    for commune in communes:
        by_department.setdefault(commune.department_id, []).append(commune)
    weights = [c.population for c in communes]
    now = timezone.now()
    with tqdm(total=count, desc="collectives", file=sys.stderr) as progress:
        for start in range(0, count, 1000):
            rows = []
            for i in range(start, min(start + 1000, count)):
                home = rng.choices(communes, weights=weights)[0]
                name = rng.choice(NAMES).format(home.name) + f" {i}"
                collective = Collective(
                    name=name,
                    slug=f"bench-collectif-{i}",
                    search_name=fold(name),  # bulk_create skips save(), which folds the name
                    description="\n\n".join(rng.sample(PHRASES, 3)),
                    founded_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3650)),
                    website=f"https://collectif-{i}.example.org/",
                    mastodon=f"@collectif{i}@social.example.org" if rng.random() < 0.4 else "",
                    status="listed",
                    listed_at=now - datetime.timedelta(days=rng.randrange(1500)),
                    is_dormant=rng.random() < 1 / 6,
                )
                department = by_department[home.department_id]  # Paris's holds one commune
                neighbours = rng.sample(department, min(len(department), rng.randrange(3)))
                places = {home, *neighbours}
                departments = [home.department_id] if rng.random() < 0.1 else []
                rows.append((collective, places, departments))
            link_collectives(rows)
            progress.update(len(rows))


def link_collectives(rows: list) -> None:
    from technopolice.collectives.models import Collective

    Collective.objects.bulk_create([collective for collective, _places, _departments in rows])
    communes, departments = Collective.communes.through, Collective.departments.through
    communes.objects.bulk_create(
        [communes(collective=c, commune=place) for c, places, _d in rows for place in places]
    )
    departments.objects.bulk_create(
        [departments(collective=c, department_id=d) for c, _p, ds in rows for d in ds]
    )


TITLES = {
    "meeting": "Réunion publique à {}",
    "debate": "Débat : la surveillance à {}",
    "protest": "Rassemblement contre les caméras à {}",
    "council": "Conseil municipal de {} : vote de la vidéosurveillance",
    "workshop": "Atelier d'autodéfense numérique à {}",
    "other": "Balade cartographique à {}",
}


def fill_events(count: int, rng: random.Random) -> None:
    """``count`` events: four in five by a collective in one of its communes, the others by the
    moderators anywhere (by population); from three years ago to six months ahead, at 18:00–20:30."""
    from django.utils import timezone
    from tqdm import tqdm

    from technopolice.collectives.models import Collective
    from technopolice.events.models import Event
    from technopolice.registry.models import Commune

    places = {}
    for collective_id, commune_id, department_id in Collective.communes.through.objects.values_list(
        "collective_id", "commune_id", "commune__department_id"
    ):
        places.setdefault(collective_id, []).append((commune_id, department_id))
    collectives = list(places)
    communes = list(
        Commune.objects.filter(kind="COM", population__gt=0).values_list("pk", "department_id", "population")
    )
    weights = [population for _pk, _department, population in communes]
    names = dict(Commune.objects.values_list("pk", "name"))
    first = timezone.now() - datetime.timedelta(days=3 * 365)
    span_minutes = int(datetime.timedelta(days=3 * 365 + 182).total_seconds() // 60)
    with tqdm(total=count, desc="events", file=sys.stderr) as progress:
        for start in range(0, count, 2000):
            rows = []
            for _i in range(start, min(start + 2000, count)):
                collective_id = rng.choice(collectives) if rng.random() < 0.8 else None
                if collective_id:
                    commune_id, department_id = rng.choice(places[collective_id])
                else:
                    commune_id, department_id, _population = rng.choices(communes, weights=weights)[0]
                day = first + datetime.timedelta(minutes=rng.randrange(span_minutes))
                starts_at = day.replace(hour=17 + rng.randrange(3), minute=rng.choice([0, 30]), second=0)
                kind = rng.choice(list(TITLES))
                rows.append(
                    Event(
                        title=TITLES[kind].format(names[commune_id]),
                        kind=kind,
                        description=" ".join(rng.sample(PHRASES, 2)),
                        starts_at=starts_at,
                        ends_at=starts_at + datetime.timedelta(hours=2) if rng.random() < 0.8 else None,
                        commune_id=commune_id,
                        department_id=department_id,  # bulk_create skips save(), which copies it
                        address=f"{rng.randrange(1, 80)} place de la Mairie",
                        collective_id=collective_id,
                        is_cancelled=rng.random() < 0.03,
                    )
                )
            Event.objects.bulk_create(rows)
            progress.update(len(rows))


# --- What is timed -------------------------------------------------------------------------------


class Cases:
    """The URLs of each page kind, built from the data."""

    def __init__(self, rng: random.Random):
        from django.db.models import Count, Q
        from django.utils import timezone

        from technopolice.events.ical import RECENT
        from technopolice.registry.models import Department

        recent = Q(events__starts_at__gte=timezone.now() - RECENT)
        busy = Department.objects.annotate(n=Count("events", filter=recent)).order_by("-n", "code")
        departments = list(busy.filter(n__gt=0))
        self.departments = departments[:5] + rng.sample(departments[5:], 5)

    def urls(self, page: str) -> list[str]:
        from django.urls import reverse

        if page == "directory":
            return [reverse("collectives:list")]
        if page.startswith("ical"):
            return [reverse("events:ical_department", args=[d.slug]) for d in self.departments]
        base = (
            reverse("collectives:list_data", args=["json"])
            if page == "near.json"
            else reverse("collectives:list")
        )
        return [f"{base}?{urlencode({'near': city, 'radius': RADIUS_KM})}" for city in CITIES]


def rows_in(page: str, response) -> int:
    """How many collectives or events an answer shows (for the JSON twin: how many it found)."""
    body = response.content.decode()
    if page.startswith("ical"):
        return body.count("BEGIN:VEVENT")
    if page == "near.json":
        return json.loads(body)["count"]
    return body.count("/collectifs/bench-collectif-")


def measure(page: str, urls: list[str], repeat: int) -> dict:
    """The server time of ``repeat`` requests cycling over ``urls``, after one warm-up each."""
    from django.core.cache import cache
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for url in urls:  # warm-up: connections, template and translation caches
        client.get(url)
    samples, cpu, rows = [], [], []
    for i in range(repeat):
        url = urls[i % len(urls)]
        if page.endswith(".cold"):
            cache.clear()
        response, wall, used = timed_get(client, url)
        samples.append(wall)
        cpu.append(used)
        # Refuse to time an error page: the figures would flatter a broken view.
        if response.status_code != 200 or not (found := rows_in(page, response)):
            sys.exit(
                f"{url} answered {response.status_code} without bench data: the figures would mean nothing"
            )
        rows.append(found)
    print(f"  {page}: {len(urls)} URLs, e.g. {urls[-1]}", file=sys.stderr, flush=True)
    p50, p95 = percentiles(samples)
    return {"p50": p50, "p95": p95, "cpu": statistics.median(cpu), "rows": statistics.mean(rows)}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
