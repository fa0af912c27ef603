"""Discussion benchmark: server time of a dossier page carrying 200 threaded comments.

Fills a fresh database (SQLite in a temporary folder, then PostgreSQL) with one dossier in one
commune, N comments on it by 20 members (a third of them opening a thread, the others answering
an earlier comment, some deep; a few hidden or deleted), each a paragraph or three of Markdown
with a link, and prints the median (p50) and 95th percentile (p95) time of the dossier page:

- ``visitor``: as an anonymous visitor,
- ``member``: as a logged-in member (the form, and reply, quote, edit and flag links per comment),
- ``commune``: the commune's discussion page (its first 30 comments).

Pages are requested in-process through Django's test client (no network); every answer must be
a 200 showing the last comment, or the benchmark stops.

    flock /tmp/bench.lock .venv/bin/python bench/discussion.py
    .venv/bin/python bench/discussion.py --comments 200 --repeat 200 --databases sqlite

BENCH_DATABASE_URL names the PostgreSQL database (created and dropped here; default
postgres://postgres@127.0.0.1:5432/tp_bench_discussion). Target: p95 under 50 ms.
"""

import argparse
import json
import random
import statistics
import sys
import time

from registry_pages import analyse, percentiles, print_load, run_child, settle_like_a_server, timed_get

MARKER = "BENCH-RESULT "
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/tp_bench_discussion"
TARGET_MS = 50
PAGES = ("visitor", "member", "commune")
PHRASES = [
    "La délibération du conseil municipal prévoit **quarante caméras** de plus d'ici l'an prochain.",
    "Le marché a été attribué sans appel d'offres, voir [le BOAMP](https://www.boamp.fr/).",
    "> Est-ce que la CNIL a été saisie ?\n\nPas à notre connaissance, une demande CADA est partie.",
    "Réunion publique jeudi à la bourse du travail, venez nombreux·ses.",
    "Les images sont conservées trente jours d'après l'arrêté préfectoral.",
    "Merci pour le lien ! Je l'ajoute aux sources du dossier.",
]


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--comments", type=int, default=200, help="comments on the dossier (default 200)")
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per page kind (default 200)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=2019, help="random seed, for comparable runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options, _unknown = parser.parse_known_args(argv)  # other benchmarks' options are not ours
    if options.comments < 10 or options.repeat < 5:
        parser.error("--comments must be at least 10 and --repeat at least 5")
    return options


def main(argv: list[str]) -> int:
    options = parse_options(argv)
    if options.child:
        return child(options)
    results = {
        db: run_child(db, argv, __file__, DEFAULT_POSTGRES) for db in options.databases.split(",") if db
    }
    print_table(results)
    return print_load(results)


def print_table(results: dict[str, dict | str]) -> None:
    print("\nServer time in milliseconds, through Django's test client; CPU p50: this process's CPU time per")
    print("request (SQLite's work included, PostgreSQL's not), steadier than wall time on a busy machine.")
    print(f"{'':9}" + "".join(f"| {db:<27}" for db in results))
    print(f"{'':9}" + f"| {'p50':>8}{'p95':>8}{'CPU p50':>9}  " * len(results))
    for page in PAGES:
        row = f"{page:9}"
        for figures in results.values():
            timed = figures["pages"][page] if isinstance(figures, dict) else None
            row += f"| {timed[0]:>8.1f}{timed[1]:>8.1f}{timed[2]:>9.1f}  " if timed else f"| {'n/a':>27}"
        print(row)
    for database, figures in results.items():
        if isinstance(figures, dict):
            worst = max(p95 for _p50, p95, _cpu in figures["pages"].values())
            meets = "meets" if worst < TARGET_MS else "MISSES"
            print(
                f"\n{database}: {figures['comments']} comments; worst p95 {worst:.1f} ms: {meets} the target"
            )
        else:
            print(f"\n{database}: {figures}")


def child(options: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    dossier, commune, members, last = fill(options.comments, random.Random(options.seed))
    print(f"Filled in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    analyse()
    settle_like_a_server()
    from django.test import Client
    from django.urls import reverse

    visitor, member = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    member.force_login(members[0])
    urls = {
        "visitor": (visitor, dossier.get_absolute_url(), f'id="comment-{last.pk}"'),
        "member": (member, dossier.get_absolute_url(), f'id="comment-{last.pk}"'),
        "commune": (visitor, reverse("discussion:commune", args=[commune.slug]), last.body_html[:40]),
    }
    pages = {page: time_page(*urls[page], options.repeat) for page in PAGES}
    print(MARKER + json.dumps({"comments": options.comments, "pages": pages}), flush=True)
    return 0


def time_page(client, url: str, expected: str, repeat: int) -> list[float]:
    for _warm_up in range(3):
        check(client.get(url), url, expected)
    samples, cpu = [], []
    for _i in range(repeat):
        response, wall, used = timed_get(client, url)
        samples.append(wall)
        cpu.append(used)
        check(response, url, expected)
    return [*percentiles(samples), statistics.median(cpu)]


def check(response, url: str, expected: str) -> None:
    if response.status_code != 200 or expected not in response.content.decode():
        sys.exit(f"{url} answered {response.status_code} without {expected!r}")


def fill(count: int, rng: random.Random):
    """One dossier in one commune and ``count`` comments on it by 20 members: (dossier, commune,
    members, the newest public comment)."""
    from django.contrib.auth.models import User

    from technopolice.discussion.models import Comment
    from technopolice.registry.tests.factories import CommuneFactory, DossierFactory

    commune = CommuneFactory()
    dossier = DossierFactory(communes=[commune], description="Une **longue** description. " * 40)
    members = [User.objects.create_user(f"membre{i}", f"membre{i}@example.org", "x") for i in range(20)]
    comments: list = []
    for _i in range(count):
        parent = rng.choice(comments) if comments and rng.random() > 0.33 else None
        body = "\n\n".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.2:
            body += f" @{rng.choice(members).username}"
        comment = Comment(
            target=dossier,
            author=rng.choice(members),
            parent=parent,
            body=body,
            depth=parent.depth + 1 if parent else 0,
        )
        comment.save()
        comment.communes.set([commune])
        comments.append(comment)
    for hidden in rng.sample(comments[:-1], max(1, count // 50)):
        Comment.objects.filter(pk=hidden.pk).update(is_hidden=True, hidden_reason="Hors sujet")
    last = comments[-1]
    return dossier, commune, members, last


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
