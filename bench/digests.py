"""Digests benchmark: the daily digest of 10,000 followers after a day of 1,000 activities.

Fills a fresh database (SQLite in a temporary folder, then PostgreSQL) with 100 communes and 100
technologies (the ~200 subjects people follow), N people with a confirmed email each following one
to four of them (the popular ones more often), and M activities, each about a commune, its
department and a technology; then runs the daily digest task in this process, as the worker
would, into a real SMTP server on loopback (aiosmtpd in a separate process that counts and drops
what it receives, so its memory is not ours). Prints the total time, the emails the server took,
the peak RSS (resource.getrusage) and the current RSS after 2,000 people and at the end: the run
keeps nothing per person, so the two should be about equal.

    .venv/bin/python bench/digests.py                                 # both databases, default sizes
    .venv/bin/python bench/digests.py --people 2000 --activities 200 --databases sqlite

BENCH_DATABASE_URL names the PostgreSQL database (created and dropped here; default
postgres://postgres@127.0.0.1:5432/tp_bench_digests). Target: under 2 minutes, constant memory.
"""

import argparse
import json
import multiprocessing
import random
import re
import resource
import sys
import time

from registry_pages import run_child

MARKER = "BENCH-RESULT "
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tp_bench_digests"
TARGET_SECONDS = 120
SAMPLE_AT = 2_000  # people done when the first memory sample is taken


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=10_000, help="followers (default 10,000)")
    parser.add_argument(
        "--activities", type=int, default=1_000, help="activities over the day (default 1,000)"
    )
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=18, help="random seed, for comparable runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options, _unknown = parser.parse_known_args(argv)  # other benchmarks' options are not ours
    if options.people < SAMPLE_AT or options.activities < 10:
        parser.error(f"--people must be at least {SAMPLE_AT}, --activities at least 10")
    return options


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.child:
        return child(options)
    results = {
        db: run_child(db, argv, __file__, DEFAULT_POSTGRES) for db in options.databases.split(",") if db
    }
    failed = False
    print(f"\nDaily digest of {options.people:,} followers after {options.activities:,} activities")
    for db, figures in results.items():
        if isinstance(figures, str):
            print(f"  {db}: {figures}")
            failed = True
            continue
        ok = figures["seconds"] < TARGET_SECONDS and figures["emails"] == figures["sent"]
        failed |= not ok
        print(
            f"  {db:<11} {figures['seconds']:6.1f} s  {figures['emails']:>6} emails received "
            f"({figures['sent']} sent, {figures['quiet']} with nothing new)  "
            f"peak RSS {figures['peak_mb']:.0f} MB; RSS after {SAMPLE_AT:,} people "
            f"{figures['rss_early_mb']:.0f} MB, "
            f"at the end {figures['rss_end_mb']:.0f} MB  {'ok' if ok else 'MISSED'}"
        )
    return 1 if failed else 0


# --- The loopback SMTP server, in its own process -------------------------------------------------


def smtp_server(port: int, received, ready) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += 1
            return "250 Message accepted"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


# --- The child: fill one database and run the digest ---------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def child(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from technopolice.testing import smtp

    call_command("migrate", verbosity=0)
    rng = random.Random(options.seed)
    subjects = fill_subjects()
    fill_people(options.people, subjects, rng)
    fill_activities(options.activities, rng)

    port = smtp.free_port()
    received, ready = multiprocessing.Value("i", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, received, ready), daemon=True)
    server.start()
    ready.wait(10)
    settings.MAILERS = smtp.mailers(port)

    figures = run_digest(options.people)
    time.sleep(0.5)  # the server's last replies
    figures["emails"] = received.value
    server.terminate()
    print(MARKER + json.dumps(figures), flush=True)
    return 0


def run_digest(people: int) -> dict:
    from technopolice.following import tasks

    samples, done = {}, [0]
    one = tasks.digest_one

    def counted(*args):
        outcome = one(*args)
        done[0] += 1
        if done[0] == SAMPLE_AT:
            samples["early"] = rss_mb()
        return outcome

    tasks.digest_one = counted
    started = time.perf_counter()
    summary = tasks.send_digests.call("daily")
    seconds = time.perf_counter() - started
    print(f"  {summary}", file=sys.stderr, flush=True)
    sent, quiet = (int(n) for n in re.findall(r"(\d+) (?:digests sent|with nothing new)", summary))
    return {
        "seconds": seconds,
        "sent": sent,
        "quiet": quiet,
        "people": people,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_early_mb": samples.get("early", 0.0),
        "rss_end_mb": rss_mb(),
    }


def fill_subjects() -> list[str]:
    """100 communes over 10 departments and 100 technologies: the subject keys people follow."""
    from technopolice.following.tests.helpers import ensure_kinds
    from technopolice.registry.models import Commune, Department, Region, Technology

    ensure_kinds()
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", slug="bench-region")
    departments = Department.objects.bulk_create(
        Department(code=f"{n:02d}", name=f"Département {n}", slug=f"bench-dep-{n}", region=region)
        for n in range(1, 11)
    )
    communes = Commune.objects.bulk_create(
        Commune(
            insee=f"{90000 + n}",
            name=f"Commune {n}",
            slug=f"bench-commune-{n}",
            search_name=f"commune {n}",
            department=departments[n % 10],
        )
        for n in range(100)
    )
    technologies = Technology.objects.bulk_create(
        Technology(slug=f"bench-tech-{n}", name_fr=f"Technologie {n}", name_en=f"Technology {n}")
        for n in range(100)
    )
    return [f"commune:{c.pk}" for c in communes] + [f"technology:{t.pk}" for t in technologies]


def fill_people(count: int, keys: list[str], rng: random.Random) -> None:
    """``count`` people with an email, each following one to four subjects (popular ones more)."""
    from django.contrib.auth.models import User

    from technopolice.following.models import DigestSubscription, Follow

    weights = [1 / (rank + 1) for rank in range(len(keys))]  # a few subjects draw most followers
    for start in range(0, count, 2000):
        users = User.objects.bulk_create(
            User(username=f"bench{n}", email=f"bench{n}@example.org", password="!")
            for n in range(start, min(start + 2000, count))
        )
        DigestSubscription.objects.bulk_create(DigestSubscription(user=u, language="fr") for u in users)
        Follow.objects.bulk_create(
            Follow(user=u, key=key)
            for u in users
            for key in set(rng.choices(keys, weights, k=rng.randint(1, 4)))
        )
    print(f"  {count:,} people, {Follow.objects.count():,} follows", file=sys.stderr, flush=True)


def fill_activities(count: int, rng: random.Random) -> None:
    """``count`` activities, each about a commune, its department and a technology."""
    from django.contrib.contenttypes.models import ContentType

    from technopolice.activity.models import Activity, ActivitySubject
    from technopolice.registry.models import Commune, Technology

    communes = list(Commune.objects.values_list("pk", "department_id"))
    technologies = list(Technology.objects.values_list("pk", flat=True))
    kind = ContentType.objects.get_for_model(Commune)
    activities = Activity.objects.bulk_create(
        Activity(
            kind=rng.choice(["dossier_published", "dossier_changed", "document", "event"]),
            title=f"Ce qui a changé, numéro {n} : « caméras » & l'Intérieur",
            path=f"/dossiers/bench-{n}/",
            object_type=kind,
            object_id=rng.choice(communes)[0],
        )
        for n in range(count)
    )
    rows = []
    for activity in activities:
        commune, department = rng.choice(communes)
        keys = {
            "site",
            f"commune:{commune}",
            f"department:{department}",
            f"technology:{rng.choice(technologies)}",
        }
        rows += [ActivitySubject(activity=activity, key=key) for key in keys]
    ActivitySubject.objects.bulk_create(rows)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
