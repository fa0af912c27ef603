# ruff: noqa: S603, S607  (runs our own scenario and pg_dump with fixed arguments)
"""Closing one's own account: the person's data leaves the database, even the raw file, and
what they did stays under an anonymous name."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import TransactionTestCase

from technopolice.accounts import twofactor
from technopolice.accounts.roles import ensure_roles
from technopolice.testing import databases
from technopolice.testing.cases import PASSWORD, BaseTestCase, totp_device

from . import deletion_scenario

DELETE = "/en/comptes/compte/supprimer/"


def found_in(blob: bytes, needles: list[str]) -> list[str]:
    """Each needle, searched in UTF-8 and UTF-16 (SQLite may store text in either), any case."""
    hits = []
    for needle in needles:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            for variant in {needle, needle.lower(), needle.upper()}:
                if variant.encode(encoding) in blob:
                    hits.append(f"{variant} ({encoding})")
    return hits


class DeletionTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def test_it_asks_for_the_password_and_a_tick_clearly(self):
        self.login(self.alice)
        response = self.client.post(DELETE, {"password": "nope"})
        self.assertContains(response, "This is not your current password.")
        self.assertContains(response, "Tick the box to confirm.")
        french = self.client.post("/comptes/compte/supprimer/", {"password": "x" * 5000})
        self.assertEqual(french.status_code, 200)
        self.assertContains(french, "comporte au plus 4096 caractères")  # Django's own words, in French
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.username, "alice")

    def test_the_account_is_emptied_and_kept_under_an_anonymous_name(self):
        totp_device(self.bob)
        twofactor.new_recovery_codes(self.bob)
        self.login(self.bob)
        response = self.client.post(DELETE, {"password": PASSWORD, "confirm": "on"})
        self.bob.refresh_from_db()
        self.assertContains(response, self.bob.username)
        self.assertTrue(self.bob.username.startswith("deleted-"))
        self.assertEqual((self.bob.email, self.bob.first_name, self.bob.last_name), ("", "", ""))
        self.assertFalse(self.bob.has_usable_password() or self.bob.is_active or self.bob.is_staff)
        self.assertFalse(self.bob.groups.exists())
        self.assertFalse(twofactor.has_second_factor(self.bob))
        self.assertEqual(twofactor.recovery_codes_left(self.bob), 0)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertEqual(self.client.get("/en/moderation/").status_code, 302)
        self.assertFalse(self.client.login(username="bob", password=PASSWORD))
        self.assertEqual(User.objects.filter(pk=self.bob.pk).count(), 1)  # what points at it stays


class SQLiteFileTests(unittest.TestCase):
    def test_the_raw_sqlite_file_keeps_nothing_of_a_closed_account(self):
        data_dir = Path(tempfile.mkdtemp(prefix="tp-deleted-"))
        self.addCleanup(shutil.rmtree, data_dir)
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        result = subprocess.run(
            [sys.executable, "-m", "technopolice.accounts.tests.deletion_scenario"],
            env={**env, "DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "technopolice.settings"},
            check=True,
            timeout=300,
            capture_output=True,
        )
        scenario = json.loads(result.stdout.decode().strip().splitlines()[-1])
        db = data_dir / "technopolice.sqlite3"
        with sqlite3.connect(db) as conn:  # fold the write-ahead log into the main file first
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            name = conn.execute("select username from auth_user where id = ?", [scenario["pk"]]).fetchone()[0]
        blobs = [p.read_bytes() for p in data_dir.glob("technopolice.sqlite3*")]
        self.assertIn(b"CREATE TABLE", blobs[0])  # we are reading the real file
        self.assertIn(name.encode(), blobs[0])  # and the search finds what is there
        self.assertEqual([hit for blob in blobs for hit in found_in(blob, scenario["needles"])], [])


class PostgreSQLDumpTests(TransactionTestCase):
    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("runs in the PostgreSQL suite (DATABASE_URL=postgres://...)")
        ensure_roles()
        cache.clear()

    def test_a_pg_dump_keeps_nothing_of_a_closed_account(self):
        scenario = deletion_scenario.journey()
        params = connection.settings_dict
        dump = subprocess.run(
            ["pg_dump", *databases.client_options(params), "--data-only", params["NAME"]],
            capture_output=True,
            check=True,
            timeout=300,
            env=databases.client_env(params),
        ).stdout
        name = User.objects.get(pk=scenario["pk"]).username
        self.assertIn(name.encode(), dump)
        self.assertEqual(found_in(dump, scenario["needles"]), [])
