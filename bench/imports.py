"""Time the importers on the real samples: a fresh import, a re-import, the graph, the demo.

Prints figures, asserts nothing. Each run uses a new, empty database:
    .venv/bin/python bench/imports.py                       # SQLite in a temporary folder
    .venv/bin/python bench/imports.py postgres://postgres@127.0.0.1:5432/tp_bench_imports
(the PostgreSQL database is dropped and created again; it must not hold anything you need).
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
STEPS = [
    ("migrate", ["migrate", "-v0"]),
    ("import_communes (empty database)", ["import_communes", str(SAMPLES / "communes"), "-v0"]),
    ("import_communes (again, unchanged)", ["import_communes", str(SAMPLES / "communes"), "-v0"]),
    ("import_graph (first)", ["import_graph", str(SAMPLES / "technopolice-graph")]),
    ("import_graph (again)", ["import_graph", str(SAMPLES / "technopolice-graph")]),
    ("load_demo (communes and graph already there)", ["load_demo"]),
]


def fresh_postgres(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", server, "-q", "-c", sql], check=True)  # noqa: S603, S607


def main(url: str | None) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, DATA_DIR=data_dir, DEMO_PASSWORD="bench-password")  # noqa: S106
        if url:
            fresh_postgres(url)
            env["DATABASE_URL"] = url
        print(f"database: {url or 'SQLite in ' + data_dir}")
        print("    wall      cpu  step (cpu: the command's own user+system time; wall includes the database)")
        for label, args in STEPS:
            wall, cpu = run([sys.executable, "-m", "technopolice", *args], env)
            print(f"{wall:8.2f} s {cpu:6.2f} s  {label}")


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Wall-clock time and the child's CPU time: the machine may be shared, CPU time is steadier."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
