# ruff: noqa: S603, S607  (runs our own scenario and pg_dump with fixed arguments)
"""The database alone reveals no name, no email and no address: the raw SQLite file and a
pg_dump are searched for a signatory's identity after a full sign-up and confirmation. Nor does
anything the server holds open a sealed identity: every key-like token of a database dump and of
the running process's settings and environment is tried on the sealed names, and none opens."""

import base64
import binascii
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TransactionTestCase, override_settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from technopolice.complaints.models import Campaign, ExportLog, Signatory
from technopolice.lib import sealing
from technopolice.testing import databases
from technopolice.testing.cases import PASSWORD, login_verified

from . import scenario
from .factories import PRIVATE_KEY, PUBLIC_KEY, opened
from .test_export import KEY_FILE, table, unzip

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


# 32 bytes in base64 (standard or URL-safe): the shape of a libsodium key and of a Fernet key.
KEY_LIKE = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{43}=")


def sql_dump() -> str:
    """The SQL text of every table: what a backup of the database holds."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return "\n".join(connection.connection.iterdump())
    params = connection.settings_dict
    return subprocess.run(
        ["pg_dump", *databases.client_options(params), params["NAME"]],
        capture_output=True,
        check=True,
        timeout=300,
        env=databases.client_env(params),
        text=True,
    ).stdout


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes):
        return [value.decode("latin-1")]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings_in(k) + strings_in(v)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [s for item in value for s in strings_in(item)]
    return []


def process_strings() -> list[str]:
    """Every string value of the running process's settings, and its environment."""
    values = [getattr(settings, name) for name in dir(settings) if name.isupper()]
    return strings_in(values) + strings_in(dict(os.environ))


def opens(candidate: str, sealed: str) -> bool:
    """Whether ``candidate``, read as a private key (either base64 alphabet) or as a Fernet key,
    opens the sealed value."""
    box = base64.b64decode(sealed[len(sealing.PREFIX) :])
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            SealedBox(PrivateKey(decode(candidate))).decrypt(box)
            return True
        except (binascii.Error, ValueError, CryptoError):
            pass
    try:
        Fernet(candidate.replace("+", "-").replace("/", "_")).decrypt(sealed[len(sealing.PREFIX) :].encode())
        return True
    except (ValueError, InvalidToken):
        return False


@override_settings(
    TASKS=settings.TASKS,
    MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}},
)
class NothingHeldOpensAnIdentityTests(TransactionTestCase):
    def setUp(self):
        mail.outbox = []

    def test_a_dump_and_the_settings_hold_no_key_that_opens_a_sealed_identity(self):
        scenario.journey(lambda: mail.outbox[-1].body)
        signatory = Signatory.objects.get()
        self.assertEqual(opened(signatory)["first_name"], scenario.FIRST)  # the organiser's key does
        # The organiser exports through the web, uploading the key: it must not stay anywhere.
        organiser = User.objects.create_superuser("organiser", "organiser@example.org", PASSWORD)
        login_verified(self.client, organiser)  # staff pass a second factor
        r = self.client.post(
            f"/en/plaintes/{Campaign.objects.get().slug}/export/",
            {"key_file": SimpleUploadedFile("campaign.key", KEY_FILE), "password": PASSWORD},
        )
        self.assertEqual([row["First name"] for row in table(unzip(r.content))], [scenario.FIRST])
        self.assertEqual(ExportLog.objects.count(), 1)

        dump, held = sql_dump(), process_strings()
        self.assertIn(signatory.first_name_sealed, dump)  # the sealed rows are in the dump...
        self.assertIn("complaints_exportlog", dump)
        candidates = {token for text in [dump, *held] for token in KEY_LIKE.findall(text)}
        self.assertIn(PUBLIC_KEY, candidates)  # ...the search finds keys (the campaign's public one)
        self.assertTrue(any(key in candidates for key in settings.COMPLAINTS_KEYS))  # and the server's
        sealed = [signatory.first_name_sealed, signatory.last_name_sealed, signatory.address_sealed]
        self.assertTrue(opens(PRIVATE_KEY, sealed[0]))  # the trial itself does open with the right key
        self.assertEqual([c for c in candidates for value in sealed if opens(c, value)], [])
        self.assertNotIn(PRIVATE_KEY, "\n".join([dump, *held]))
        everything = "\n".join([dump, *held]).encode()
        self.assertEqual(found_in(everything), [])  # and no name, email or address in clear
