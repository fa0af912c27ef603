# ruff: noqa: S603, S607  (the bench starts our own programs with fixed arguments)
"""Load and fault benchmark for collective-complaint sign-ups. Prints figures; asserts nothing.

    .venv/bin/python bench/complaints_load.py [--seconds 15] [--clients 16] [--workers 4]
                                              [--databases sqlite,pg] [--fault]

For each database it starts the platform as in production (gunicorn, several sync workers,
PRODUCTION=True with collected static files; only the HTTPS redirect is turned off because
the bench speaks plain HTTP on loopback), plus a task worker and an SMTP sink (aiosmtpd).
A separate process then drives, for a fixed time, (1) a trivial page and (2) sign-ups
(one CSRF fetch per client, then a POST per sign-up with a fresh address and a solved proof of
work, see ``proofs``), and prints
sustained requests per second with p50/p95 latency side by side, and the CPU spent per
success by the web server, the task worker and (PostgreSQL) the database backends, with
the machine's load average: on a shared machine wall-clock rates understate what two free
cores would do, and the CPU per sign-up is the figure to compare.

--fault: during the sign-up load the task worker is killed with SIGKILL a third of the way and
the server half-way, and both are restarted; afterwards the bench checks that every sign-up
answered with a success page is in the database and waits until every one of them has
received its confirmation email.

The machine may be shared: figures are indicative, run big sizes once.
"""

import argparse
import datetime
import json
import multiprocessing
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tp_complaints_bench")
SLUG = "bench"
ALTCHA_COST = 2000  # the production default (settings.ALTCHA_COST)
PROOFS_PER_SECOND = 400  # minted ahead per second of sign-up load; more are minted if need be

SETUP_CAMPAIGN = """
import datetime, django
django.setup()
from django.utils import timezone
from technopolice.complaints.models import Campaign, CampaignStatus, Grievance, MandateVersion
from technopolice.lib import sealing
c = Campaign.objects.create(title="Bench", slug="bench", argument="Bench.", filing_organisation="Bench",
    opens_at=timezone.now() - datetime.timedelta(days=1),
    closes_at=timezone.now() + datetime.timedelta(days=1),
    status=CampaignStatus.PUBLISHED, public_key=sealing.generate_keypair()[1])
MandateVersion.objects.create(campaign=c, number=1, text="Je donne mandat.")
for title in ["CCTV", "Faces"]:
    Grievance.objects.create(campaign=c, title=title)
"""

# Emails claimed by a sweep and not cleared: the killed worker's chunk, sent again when its lease ends.
COUNT_CLAIMED = """
import django
django.setup()
from django.utils import timezone
from technopolice.complaints.models import Signatory
print(Signatory.objects.filter(mail_due_at__gt=timezone.now()).count())
"""

CHECK_STORED = """
import json, sys, django
django.setup()
from technopolice.complaints.actions import email_index
from technopolice.complaints.models import Signatory
emails = json.load(open(sys.argv[1]))
stored = set(Signatory.objects.values_list("email_index", flat=True))
print(json.dumps({"missing": sum(email_index(e) not in stored for e in emails), "rows": len(stored)}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the platform ---------------------------------------------------------------------------


def environment(database: str, data_dir: Path, port: int, smtp_port: int) -> dict:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "COMPLAINTS_"))}
    env.update(
        PRODUCTION="True",
        SECURE_SSL_REDIRECT="False",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{port}",
        DATA_DIR=str(data_dir),
        COMPLAINTS_KEYS=Fernet.generate_key().decode(),
        COMPLAINTS_HASH_KEY=uuid.uuid4().hex,
        # Every simulated person comes from 127.0.0.1: lift the per-visitor ceiling on proved
        # sign-ups for the bench only (bench/complaints_launch.py measures the limits themselves).
        COMPLAINTS_PROVED_SIGNUPS_PER_VISITOR_PER_HOUR="100000000",
        # As behind production's nginx (check --deploy requires it); the clients send no
        # X-Forwarded-For here, so their address is the connection's, 127.0.0.1.
        TRUSTED_PROXY_COUNT="1",
        # Known to the bench, which signs its own challenges with it (``proofs``).
        ALTCHA_HMAC_KEY=uuid.uuid4().hex,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="False",
        DJANGO_SETTINGS_MODULE="technopolice.settings",
    )
    if database == "pg":
        env["DATABASE_URL"] = PG_URL
    return env


def prepare(database: str, env: dict) -> None:
    if database == "pg":
        name = urllib.parse.urlparse(PG_URL).path.lstrip("/")
        for sql in (f"drop database if exists {name}", f"create database {name}"):
            subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True)
    manage = [PYTHON, "-m", "technopolice"]
    # Production settings must hold (W008, no HTTPS redirect, is expected: plain HTTP on loopback).
    subprocess.run(
        [*manage, "check", "--deploy", "--fail-level", "ERROR"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([PYTHON, "-c", SETUP_CAMPAIGN], env=env, check=True, cwd=ROOT)


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "technopolice.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "/dev/null",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)
    wait_until_up(port)
    return process


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", f"/en/plaintes/{SLUG}/merci/")
            status = conn.getresponse().status
            if status == 200:
                return
            raise RuntimeError(f"the server answers {status}: see its log above")
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not come up")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the whole group: master and workers die at once, mid-request."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def start_worker(env: dict) -> subprocess.Popen:
    command = [PYTHON, "-m", "technopolice", "db_worker", "--interval", "0.2", "--no-startup-delay"]
    return subprocess.Popen(
        command,
        env={**env, "LOG_LEVEL": "ERROR"},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


class Sink:
    """An SMTP server on loopback that records who received a message."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.recipients: set[str] = set()
        self.lock = threading.Lock()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)
        self.controller.start()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"

    def received(self, emails: set[str]) -> set[str]:
        """Which of ``emails`` got a message (the SMTP thread adds to the set meanwhile)."""
        with self.lock:
            return emails & self.recipients

    def stop(self) -> None:
        self.controller.stop()


def cpu_seconds(group: int) -> float:
    """CPU time used so far by every live process of a process group (from /proc)."""
    return _cpu(lambda fields, _pid: int(fields[2]) == group)  # pgrp


def database_cpu_seconds(database: str) -> float:
    """CPU time used so far by the PostgreSQL backends serving the bench database: it runs on the
    same two cores, so a sign-up's cost includes it (the shared checkpointer and WAL writer
    are left out). 0 for SQLite, which runs inside the processes already counted."""
    if database != "pg":
        return 0.0
    name = f" {urllib.parse.urlparse(PG_URL).path.lstrip('/')} ".encode()
    return _cpu(lambda _fields, pid: name in _read(pid / "cmdline").replace(b"\0", b" "))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile
        return b""


def _cpu(wanted) -> float:
    total = 0
    for pid in Path("/proc").glob("[0-9]*"):
        fields = _read(pid / "stat").rsplit(b")", 1)[-1].split()
        if len(fields) > 12 and wanted(fields, pid):  # utime and stime at 11 and 12
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


# --- the load (runs in its own process) --------------------------------------------------------


def csrf(port: int) -> tuple[str, str]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/en/plaintes/{SLUG}/")
    response = conn.getresponse()
    page = response.read().decode()
    # The whole "name=value": in production the name is "__Host-csrftoken".
    cookie = re.search(r"(\S*csrftoken=[^;]+)", response.getheader("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    mandate = re.search(r'name="mandate_hash" value="([^"]+)"', page).group(1)
    grievance = re.search(r'name="grievances" value="(\d+)"', page).group(1)
    return cookie, urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "mandate_hash": mandate,
            "grievances": grievance,
            "first_name": "Bench",
            "last_name": "Mark",
            "consent_mandate": "on",
            "consent_data": "on",
        }
    )


def proofs(key: str, count: int) -> list[str]:
    """``count`` solved proof-of-work payloads, minted before the measure starts.

    A sign-up without proof of work meets a limit of a few per address, so the bench posts
    proved ones. It holds the server's ALTCHA key and signs challenges as the page does, at the
    production cost (ALTCHA_COST iterations per attempt: the server's check, one key derivation,
    costs what it costs in production), but with an empty key prefix, which the first attempt
    solves where a browser needs about 256. Only the browser's share of the work is skipped, and
    the GET of the page that would carry the challenge (the trivial page measures a GET).
    """
    import altcha

    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=30)
    solved = []
    for _ in range(count):
        challenge = altcha.create_challenge(
            "PBKDF2/SHA-256", ALTCHA_COST, key_prefix="", expires_at=expires, hmac_secret=key
        )
        payload = altcha.Payload(challenge, altcha.solve_challenge(challenge)).to_base64()
        solved.append(urllib.parse.quote(payload, safe=""))
    return solved


def one_request(port: int, mode: str, form, proof: str = "") -> tuple[bool, str]:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    if mode == "trivial":
        conn.request("GET", f"/en/plaintes/{SLUG}/merci/")
        return conn.getresponse().status == 200, ""
    cookie, body = form
    email = f"{uuid.uuid4().hex[:16]}@bench.example"
    conn.request(
        "POST",
        f"/en/plaintes/{SLUG}/",
        body=f"{body}&email={email}&altcha={proof}",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = conn.getresponse()
    return response.status == 302 and response.getheader("Location", "").endswith("/merci/"), email


def client(port: int, mode: str, stop_at: float, results: list, solved: list, key: str) -> None:
    form = None
    while time.monotonic() < stop_at:
        start = time.monotonic()
        try:
            if mode == "signup" and form is None:
                form = csrf(port)
            proof = "" if mode != "signup" else (solved.pop() if solved else proofs(key, 1)[0])
            ok, email = one_request(port, mode, form, proof)
        except (OSError, AttributeError):  # server down (fault run): an unknown outcome, not a success
            ok, email = False, ""
            form = None
            time.sleep(0.05)
        results.append((start, time.monotonic() - start, ok, email))


_minted: list[str] = []  # in the load process: payloads for the next sign-up run


def mint(key: str, count: int) -> None:
    """Mint the next run's proofs in the load process, before its clock starts."""
    _minted[:] = proofs(key, count)


def drive(port: int, mode: str, seconds: float, clients: int, key: str = "") -> list:
    solved = _minted if mode == "signup" else []
    results: list = []
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(port, mode, stop_at, results, solved, key))
        for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# --- reporting ------------------------------------------------------------------------------


def summary(results: list, seconds: float) -> dict:
    good = sorted(duration for _, duration, ok, _ in results if ok)
    if not good:
        return {"rate": 0, "p50": 0, "p95": 0, "errors": len(results)}
    p95 = good[min(len(good) - 1, int(len(good) * 0.95))]
    return {
        "rate": len(good) / seconds,
        "p50": statistics.median(good) * 1000,
        "p95": p95 * 1000,
        "errors": len(results) - len(good),
    }


def row(label: str, s: dict) -> str:
    line = (
        f"{label:<16} {s['rate']:>7.1f}/s  p50 {s['p50']:>7.1f} ms  p95 {s['p95']:>7.1f} ms  "
        f"errors {s['errors']:<4} CPU/req: web {s['web_ms']:>5.1f} ms "
        f"+ task worker {s['worker_ms']:>5.1f} ms + database server {s['db_ms']:>4.1f} ms "
        f"(~{s['capacity']:>4.0f}/s if 2 cores were ours; load average {s['load']:.1f})"
    )
    if "delivered" in s:
        line += (
            f"\n{'':<16} emails delivered {s['delivered']} of {s['successes']}; "
            f"sustained {s['sustained']:.1f}/s (sign-ups over the time until their last email left)"
        )
    return line


def measure(pool, port, mode, args, server: int, worker: int, database: str, sink, env) -> dict:
    """Drive one mode; besides wall-clock figures (which a shared machine depresses), report the
    CPU the web server, the task worker and the database server spent per success, which other
    jobs inflate less. The worker keeps sending emails after the load stops: wait until every
    successful sign-up's email reached the SMTP sink (the sustained rate runs until the last one
    did) and the worker is idle before reading."""
    clocks = {"web": lambda: cpu_seconds(server), "worker": lambda: cpu_seconds(worker)}
    clocks["db"] = lambda: database_cpu_seconds(database)
    if mode == "signup":
        pool.apply(mint, (env["ALTCHA_HMAC_KEY"], int(args.seconds * PROOFS_PER_SECOND)))
    before = {name: clock() for name, clock in clocks.items()}
    started = time.monotonic()
    results = pool.apply(drive, (port, mode, args.seconds, args.clients, env["ALTCHA_HMAC_KEY"]))
    stats = summary(results, args.seconds)
    stats["load"] = os.getloadavg()[0]  # how shared the machine was while we measured
    if mode == "signup":
        stats.update(deliveries(results, sink, started, args.mail_timeout))
    time.sleep(1)
    while mode == "signup" and worker_busy(worker):
        pass
    done = max(1, sum(ok for *_, ok, _ in results))
    for name, clock in clocks.items():
        stats[f"{name}_ms"] = (clock() - before[name]) * 1000 / done
    total = stats["web_ms"] + stats["worker_ms"] + stats["db_ms"]
    stats["capacity"] = 2000 / total if total else 0
    return stats


def deliveries(results: list, sink, started: float, timeout: float) -> dict:
    """Wait until the SMTP sink holds every successful sign-up's email (or ``timeout``)."""
    wanted = {email for *_, ok, email in results if ok}
    while len(sink.received(wanted)) < len(wanted) and time.monotonic() - started < timeout:
        time.sleep(0.05)
    delivered = len(sink.received(wanted))
    return {
        "successes": len(wanted),
        "delivered": delivered,
        "sustained": delivered / (time.monotonic() - started),
    }


def worker_busy(worker: int) -> bool:
    """True while the task worker is still using CPU (a second of near-idle means drained)."""
    start = cpu_seconds(worker)
    time.sleep(1)
    return cpu_seconds(worker) - start > 0.1


def run_database(database: str, args, pool) -> None:
    port, smtp_port = free_port(), free_port()
    data_dir = Path(tempfile.mkdtemp(prefix=f"tp-bench-{database}-"))
    env = environment(database, data_dir, port, smtp_port)
    prepare(database, env)
    sink, worker = Sink(smtp_port), start_worker(env)
    server = start_server(env, port, args.workers)
    try:
        for mode in ("trivial", "signup"):
            stats = measure(pool, port, mode, args, server.pid, worker.pid, database, sink, env)
            print(row(f"{database:<6} {mode}", stats), flush=True)
        if args.fault:
            worker = fault_run(database, env, port, server, worker, sink, args, pool, data_dir)
    finally:
        kill(server) if server.poll() is None else None
        kill(worker)
        sink.stop()


def fault_run(database, env, port, server, worker, sink, args, pool, data_dir) -> subprocess.Popen:
    """SIGKILL the task worker a third of the way through the load (busy sweeping, most likely
    mid-chunk: those emails come due again when their lease ends) and the web server half-way,
    restart both; return the new worker."""
    pool.apply(mint, (env["ALTCHA_HMAC_KEY"], int(args.seconds * PROOFS_PER_SECOND)))
    pending = pool.apply_async(drive, (port, "signup", args.seconds, args.clients, env["ALTCHA_HMAC_KEY"]))
    time.sleep(args.seconds / 3)
    kill(worker)
    claimed = subprocess.run(
        [PYTHON, "-c", COUNT_CLAIMED], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    worker = start_worker(env)
    print(
        f"{database:<6} fault: task worker killed with SIGKILL and restarted; it held {claimed} emails "
        "claimed and not yet cleared (sent again when their lease ends)",
        flush=True,
    )
    time.sleep(max(0, args.seconds / 2 - args.seconds / 3))
    kill(server)
    killed_at = time.monotonic()
    server = start_server(env, port, args.workers)
    print(f"{database:<6} fault: SIGKILL and restart took {time.monotonic() - killed_at:.1f} s", flush=True)
    results = pending.get()
    kill(server)
    confirmed = [email for _, _, ok, email in results if ok]
    emails_file = data_dir / "successes.json"
    emails_file.write_text(json.dumps(confirmed))
    out = subprocess.run(
        [PYTHON, "-c", CHECK_STORED, str(emails_file)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stored = json.loads(out)
    print(
        f"{database:<6} fault: {len(confirmed)} sign-ups answered with success, "
        f"{stored['missing']} of them missing from the database ({stored['rows']} rows), "
        f"{sum(not ok for *_, ok, _ in results)} requests failed or unanswered during the outage",
        flush=True,
    )
    started, wanted = time.monotonic(), set(confirmed)
    while len(sink.received(wanted)) < len(wanted) and time.monotonic() - started < args.mail_timeout:
        time.sleep(0.5)
    unsent = len(wanted) - len(sink.received(wanted))
    print(
        f"{database:<6} fault: {len(confirmed) - unsent} of {len(confirmed)} confirmation emails delivered "
        f"({unsent} not yet after {time.monotonic() - started:.0f} s of waiting)",
        flush=True,
    )
    return worker


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=16, help="concurrent simulated visitors")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--databases", default="sqlite,pg")
    parser.add_argument("--fault", action="store_true", help="also run the SIGKILL fault run")
    parser.add_argument("--mail-timeout", type=float, default=600, help="how long to wait for emails")
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs visible (shared machine: other jobs may run), {args.workers} gunicorn "
        f"workers, {args.clients} clients, {args.seconds:.0f} s per measure; each sign-up carries a "
        f"proof of work at ALTCHA_COST {ALTCHA_COST}, minted by the bench (see proofs)",
        flush=True,
    )
    with multiprocessing.get_context("spawn").Pool(1) as pool:  # the load comes from another process
        for database in args.databases.split(","):
            run_database(database, args, pool)


if __name__ == "__main__":
    main()
