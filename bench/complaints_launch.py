# ruff: noqa: S603, S607  (the bench starts our own programs with fixed arguments)
"""Launch-day benchmark of the sign-up limits: many honest people behind few addresses, and a
robot. Prints figures; asserts nothing.

    .venv/bin/python bench/complaints_launch.py [--signups 5000] [--people 200] [--addresses 3]
        [--clients 16] [--seconds 0] [--workers 4] [--cost 20] [--databases sqlite,pg]

The platform runs as in bench/complaints_load.py (gunicorn sync workers, PRODUCTION=True, a task
worker, an SMTP sink), behind one trusted proxy as in production (TRUSTED_PROXY_COUNT=1: the
bench sends each client's address in X-Forwarded-For), with a Redis cache of its own as in
production, so limits and used challenges are counted across the workers. The limits are the
defaults of settings.py.

- Honest people: ``--people`` simulated people sharing ``--addresses`` addresses (a carrier's
  NAT, a campus) make ``--signups`` sign-ups with distinct emails. Each one GETs the page with
  that person's cookies, solves the page's ALTCHA challenge, and posts. ``--clients`` of them at a
  time; ``--seconds`` spreads the sign-ups evenly over that time (0: as fast as they go, harsher
  for hourly limits than the real 10 minutes).
- A robot, from a fourth address, posts valid forms (a new email each time) as fast as it can
  without solving the proof of work, for as long as the people sign.
- A botnet, from a new address per post, does the same, for as long as the people sign.

The challenge's cost (ALTCHA_COST, PBKDF2 iterations per attempt, about 256 attempts) is lowered
for the bench (``--cost``, printed) so that the people's solving, in Python on the same two
cores, does not starve the server; the server's check is one derivation at that cost
(bench/complaints_load.py measures sign-ups at the production cost).
"""

import argparse
import html
import json
import multiprocessing
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

from complaints_load import (
    SLUG,
    Sink,
    cpu_seconds,
    environment,
    free_port,
    kill,
    prepare,
    start_server,
    start_worker,
)

ROBOT_ADDRESS = "198.51.100.66"


def start_redis(port: int, data_dir: Path) -> subprocess.Popen:
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    command += ["--appendonly", "no", "--dir", str(data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout != b"PONG\n":
        if time.monotonic() > deadline:
            raise RuntimeError("redis did not come up")
        time.sleep(0.1)
    return process


# --- the visitors (run in their own processes) --------------------------------------------------


class Visitor:
    """One browser: its own cookies, its own address (sent as the proxy would)."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method: str, body: str = ""):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, f"/en/plaintes/{SLUG}/", body=body or None, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode()

    def form(self, email: str, solve: bool) -> str:
        """GET the page; the form filled in for ``email``, with its challenge solved if ``solve``."""
        status, page = self.request("GET")
        if status != 200:
            raise OSError(f"GET {status}")
        fields = {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1),
            "mandate_hash": re.search(r'name="mandate_hash" value="([^"]+)"', page).group(1),
            "grievances": re.search(r'name="grievances" value="(\d+)"', page).group(1),
            "first_name": "Launch",
            "last_name": "Day",
            "email": email,
            "consent_mandate": "on",
            "consent_data": "on",
        }
        if solve:
            challenge = re.search(r'<altcha-widget name="altcha" challenge="([^"]+)"', page).group(1)
            fields["altcha"] = solved(html.unescape(challenge))
        return urllib.parse.urlencode(fields)


def solved(challenge_json: str) -> str:
    """What the widget posts: the challenge solved, as a browser would (about 256 attempts)."""
    import altcha

    challenge = altcha.Challenge.from_dict(json.loads(challenge_json))
    return altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()


def outcome(status: int) -> str:
    return {302: "accepted", 429: "refused"}.get(status, f"error {status}")


def people(port: int, jobs: list, clients: int, interval: float, started_at: float) -> list:
    """Sign ``jobs`` ((person, address, index) each) with ``clients`` threads; ``interval``
    seconds between two sign-up starts across all processes (0: no pacing)."""
    visitors: dict[int, Visitor] = {}
    results: list = []
    queue = list(reversed(jobs))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not queue:
                    return
                person, address, index = queue.pop()
                visitor = visitors.setdefault(person, Visitor(port, address))
            if interval:
                time.sleep(max(0.0, started_at + index * interval - time.time()))
            start = time.monotonic()
            try:
                body = visitor.form(f"p{person}-{index}-{uuid.uuid4().hex[:8]}@launch.example", solve=True)
                posted = time.monotonic()
                status, _ = visitor.request("POST", body)
            except (OSError, AttributeError) as error:
                results.append(("error " + type(error).__name__, 0.0, 0.0))
                continue
            end = time.monotonic()
            results.append((outcome(status), end - start, end - posted))

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def robot(port: int, stop_file: str, rotate: bool) -> list:
    """Post valid forms without proof of work as fast as one connection allows, until
    ``stop_file`` exists: from one address, or (``rotate``) from a new address each time."""
    visitor = Visitor(port, ROBOT_ADDRESS)
    body = visitor.form("robot@launch.example", solve=False).replace("robot%40", "{email}%40")
    results = []
    n = 0
    while not os.path.exists(stop_file):
        n += 1
        if rotate:
            visitor.address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
        started = time.monotonic()
        try:
            status, _ = visitor.request("POST", body.replace("{email}", f"robot{n}-{uuid.uuid4().hex[:6]}"))
        except OSError:
            status = 0
        results.append((outcome(status), time.monotonic() - started, started))
    return results


# --- the run --------------------------------------------------------------------------------


def plan(args) -> list[list]:
    """The sign-ups, (person, address, index) each, split between two load processes."""
    addresses = [f"100.64.0.{n + 1}" for n in range(args.addresses)]  # carrier-grade NAT space
    jobs = [(i % args.people, addresses[(i % args.people) % args.addresses], i) for i in range(args.signups)]
    return [jobs[0::2], jobs[1::2]]


def percentile(values: list, share: float) -> float:
    """In milliseconds; 0 without values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000 if ordered else 0.0


def tally(results: list) -> tuple[int, int, int]:
    """(accepted, refused, anything else)."""
    accepted = sum(1 for r in results if r[0] == "accepted")
    refused = sum(1 for r in results if r[0] == "refused")
    return accepted, refused, len(results) - accepted - refused


def report(database: str, args, honest: list, wall: float, lone: list, botnet: list, web_cpu: float) -> None:
    accepted, refused, other = tally(honest)
    others = sorted({r[0] for r in honest} - {"accepted", "refused"})
    whole = [r[1] for r in honest if r[0] == "accepted"]
    posts = [r[2] for r in honest if r[0] == "accepted"]
    print(
        f"{database:<6} people: {len(honest)} sign-ups by {args.people} people from {args.addresses} "
        f"addresses in {wall:.0f} s: accepted {accepted}, refused {refused}, other {other} {others}; "
        f"{accepted / wall:.1f} sign-ups/s; whole sign-up (GET, solve, POST) p50 "
        f"{percentile(whole, 0.5):.0f} ms p95 {percentile(whole, 0.95):.0f} ms; "
        f"POST p50 {percentile(posts, 0.5):.0f} ms p95 {percentile(posts, 0.95):.0f} ms",
        flush=True,
    )
    for label, results in (("robot (one address)", lone), ("botnet (new address each post)", botnet)):
        accepted, refused, other = tally(results)
        first = results[0][2] if results else 0
        last = max((r[2] - first for r in results if r[0] == "accepted"), default=0)
        print(
            f"{database:<6} {label}: {len(results)} posts without proof of work "
            f"({len(results) / wall:.0f}/s), "
            f"accepted {accepted}, refused {refused}, other {other}; "
            f"{accepted / (wall / 60):.2f} accepted per minute over the run, the last {last:.0f} s "
            f"after its first post",
            flush=True,
        )
    print(f"{database:<6} web server CPU: {web_cpu:.0f} s over the run", flush=True)


def run_database(database: str, args) -> None:
    port, smtp_port, redis_port = free_port(), free_port(), free_port()
    data_dir = Path(tempfile.mkdtemp(prefix=f"tp-launch-{database}-"))
    env = environment(database, data_dir, port, smtp_port)
    env.pop("COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR")  # the launch is measured with the defaults
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        ALTCHA_COST=str(args.cost),
        TRUSTED_PROXY_COUNT="1",
    )
    redis = start_redis(redis_port, data_dir)
    prepare(database, env)
    sink, worker = Sink(smtp_port), start_worker(env)
    server = start_server(env, port, args.workers)
    stop_file = str(data_dir / "people-done")
    try:
        with multiprocessing.get_context("spawn").Pool(4) as pool:
            before = cpu_seconds(server.pid)
            robots = [pool.apply_async(robot, (port, stop_file, rotate)) for rotate in (False, True)]
            started_at, started = time.time() + 1, time.monotonic() + 1
            interval = args.seconds / args.signups if args.seconds else 0
            share = max(1, args.clients // 2)
            parts = [
                pool.apply_async(people, (port, part, share, interval, started_at)) for part in plan(args)
            ]
            honest = [r for part in parts for r in part.get()]
            wall = time.monotonic() - started
            Path(stop_file).touch()
            lone, botnet = (r.get() for r in robots)
            report(database, args, honest, wall, lone, botnet, cpu_seconds(server.pid) - before)
    finally:
        kill(server)
        kill(worker)
        sink.stop()
        kill(redis)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--signups", type=int, default=5000)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--addresses", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16, help="people signing at the same time")
    parser.add_argument("--seconds", type=float, default=0, help="spread the sign-ups over this time")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--cost", type=int, default=20, help="ALTCHA_COST for the bench (production: 2000)")
    parser.add_argument("--databases", default="sqlite,pg")
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs visible (shared machine: other jobs may run; load average "
        f"{os.getloadavg()[0]:.1f}), {args.workers} gunicorn workers, {args.clients} people signing at "
        f"once; ALTCHA_COST {args.cost} for the bench (production default 2000); limits: the defaults",
        flush=True,
    )
    for database in args.databases.split(","):
        run_database(database, args)


if __name__ == "__main__":
    main()
