# ruff: noqa: S603, S607  (runs our own scenario and pg_dump with fixed arguments)
"""The database alone reveals no name, no email and no address: the raw SQLite file and a
pg_dump are searched for a signatory's identity after a full sign-up and confirmation."""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import TransactionTestCase, override_settings

from technopolice.complaints.models import Signatory
from technopolice.testing import databases

from . import scenario

NEEDLES = [scenario.FIRST, scenario.LAST, scenario.EMAIL, scenario.STREET, "zephyrine", "quillebeuf"]


def found_in(blob: bytes) -> list[str]:
    """Each needle, searched in UTF-8 and UTF-16 (SQLite may store text in either)."""
    hits = []
    for needle in NEEDLES:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if needle.encode(encoding) in blob or needle.lower().encode(encoding) in blob:
                hits.append(f"{needle} ({encoding})")
    return hits


class SQLiteFileTests(unittest.TestCase):
    def test_the_raw_sqlite_file_holds_no_identity(self):
        data_dir = Path(tempfile.mkdtemp(prefix="tp-at-rest-"))
        self.addCleanup(shutil.rmtree, data_dir)
        env = {**os.environ, "DATA_DIR": str(data_dir), "DATABASE_URL": ""}
        env.pop("DATABASE_URL")
        subprocess.run(
            [sys.executable, "-m", "technopolice.complaints.tests.scenario"],
            env={**env, "DJANGO_SETTINGS_MODULE": "technopolice.settings"},
            check=True,
            timeout=300,
        )
        db = data_dir / "technopolice.sqlite3"
        with sqlite3.connect(db) as conn:  # fold the write-ahead log into the main file first
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.assertEqual(
                conn.execute(
                    "select count(*) from complaints_signatory where confirmed_at is not null"
                ).fetchone(),
                (1,),
            )
        blobs = [p.read_bytes() for p in data_dir.glob("technopolice.sqlite3*")]
        self.assertGreater(len(blobs[0]), 100_000)
        self.assertIn(b"CREATE TABLE", blobs[0])  # we are reading the real file
        self.assertEqual([hit for blob in blobs for hit in found_in(blob)], [])
        self.assertIn(b"at-rest", blobs[0])  # plain campaign data is found: the search does work


@override_settings(
    TASKS=settings.TASKS,
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
)
class PostgreSQLDumpTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("runs in the PostgreSQL suite (DATABASE_URL=postgres://...)")
        mail.outbox = []

    def test_a_pg_dump_holds_no_identity(self):
        scenario.journey(lambda: mail.outbox[-1].body)
        self.assertEqual(Signatory.objects.confirmed().count(), 1)
        params = connection.settings_dict
        dump = subprocess.run(
            [
                "pg_dump",
                *databases.client_options(params),
                "--data-only",
                params["NAME"],
            ],
            capture_output=True,
            check=True,
            timeout=300,
            env=databases.client_env(params),
        ).stdout
        self.assertIn(b"complaints_signatory", dump)
        self.assertIn(Signatory.objects.get().email_sealed.encode(), dump)  # the row is in the dump...
        self.assertEqual(found_in(dump), [])  # ...and nothing readable with it
