"""The search benchmark builds and times a corpus on this test run's database engine.

It builds the full-text index by the newest migration's definition (``bench/documents_search.py``
drops it before the bulk load and creates it after): when a migration replaced the index, a
benchmark naming the old one failed on its first fresh build, and no test had run it.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

from django.db import connection
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
SMALL = [
    "--documents",
    "30",
    "--words-per-page",
    "40",
    "--queries",
    "2",
    "--bare-queries",
    "1",
    "--processes",
    "1",
]


class DocumentsBenchmarkTests(SimpleTestCase):
    def test_it_builds_and_times_a_small_corpus(self):
        backend = "postgres" if connection.vendor == "postgresql" else "sqlite"
        env = dict(os.environ)
        if backend == "postgres":
            # A database of its own, which the benchmark creates and drops: never the test database.
            server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test").rsplit("/", 1)[
                0
            ]
            env["BENCH_POSTGRES_URL"] = f"{server}/tp_bench_test_{uuid.uuid4().hex[:12]}"
        command = [sys.executable, str(ROOT / "bench" / "documents_search.py"), *SMALL, "--backends", backend]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
        self.assertEqual(done.returncode, 0, done.stderr[-2000:])
        line = next(line for line in done.stderr.splitlines() if line.startswith(f"{backend}: {{"))
        figures = json.loads(line.removeprefix(f"{backend}: "))
        self.assertEqual(figures["documents"], 30)
        self.assertGreater(figures["pages"], 30)
        self.assertEqual(len(figures["filtered full"]), 2)
        self.assertIn("filtered (full)", done.stdout)
