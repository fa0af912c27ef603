# ruff: noqa: S603, S607  (runs pg_dump, pg_restore and the platform's own commands with fixed arguments)
"""The restore drill: a populated platform is backed up as docs/production.md says (the database,
DATA_DIR/media, and the keys kept apart), restored into a new database and a new data folder,
and a process of its own that sees only the restored copies serves the dossier, the files (same
checksums), search, the map and the signatory export, opened with the campaign's private key
that the organiser kept (never part of the platform nor of its backup). Restored with new server
keys instead of the backup's, the identities still open with the organiser's key (they never
depended on the server's keys), and `check --deploy`'s key check says the emails the server
kept do not open; with another private key the export is refused clearly.

On SQLite the backup is taken with SQLite's online backup API, on PostgreSQL with pg_dump -Fc
and pg_restore into a scratch database named after the test database."""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import TransactionTestCase, override_settings

from technopolice.accounts.twofactor import new_recovery_codes
from technopolice.complaints.tests.factories import PRIVATE_KEY, PUBLIC_KEY, CampaignFactory
from technopolice.complaints.tests.test_export import signed
from technopolice.documents import actions, cleaning
from technopolice.documents.tasks import extract_text
from technopolice.documents.tests import builders
from technopolice.lib import sealing
from technopolice.mapdata.tests.mapview_helpers import many
from technopolice.registry.actions import publish_dossier
from technopolice.registry.tests.factories import dossier_payload
from technopolice.testing import databases
from technopolice.testing.cases import PASSWORD, totp_device

# Every queue the platform declares, run at once in the test's process.
IMMEDIATE_TASKS = {
    "default": {**settings.TASKS["default"], "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}
}
LOCMEM_MAIL = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DOCUMENT_TITLE = "Délibération vidéoprotection algorithmique"
# What the process environment of the tests may hold and the restored platform must not inherit.
_KEPT = ("PATH", "HOME", "LANG", "TMPDIR")


def checksums(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@override_settings(TASKS=IMMEDIATE_TASKS, MAILERS=LOCMEM_MAIL)
class RestoreDrillTests(TransactionTestCase):
    def setUp(self):
        self.work = Path(tempfile.mkdtemp(prefix="tp-restore-"))
        self.addCleanup(shutil.rmtree, self.work)
        self.source_media = self.work / "source-media"
        media = override_settings(MEDIA_ROOT=str(self.source_media))
        media.enable()
        self.addCleanup(media.disable)

    def populate(self) -> dict:
        """A platform in use, built with the project's own actions and factories."""
        user = User.objects.create_superuser("restorer", "restorer@example.org", PASSWORD)
        totp_device(user)  # staff pass a second factor: its secrets must survive the restore too
        new_recovery_codes(user)
        dossier = publish_dossier(dossier_payload(), user)
        for pages, title in [
            (["La vidéoprotection algorithmique est déployée place Bellecour."], DOCUMENT_TITLE),
            (["Marché public de caméras piétons."], "Marché caméras piétons"),
        ]:
            document, _created = actions.import_file(
                cleaning.clean(builders.pdf(*pages)), title, "deliberation"
            )
            extract_text.call(document.pk)
        many([(45.44 + i * 0.001, 4.39) for i in range(12)], surveillance_type="camera")
        campaign = CampaignFactory()
        # Zoé asked for the campaign's news: the server keeps her email (sealed with its own keys).
        signed(campaign, "zoe@example.net", [campaign.grievances.first().pk], "Zoé", wants_news="on")
        signed(campaign, "yann@example.net", [campaign.grievances.first().pk], "Yann")
        return {
            "dossier": dossier.slug,
            "dossier_title": dossier.title,
            "search": "vidéoprotection algorithmique",
            "document_title": DOCUMENT_TITLE,
            "user": "restorer",
            "password": PASSWORD,
        }

    # The backup, as docs/production.md section 6 writes it.

    def back_up(self, backup: Path) -> None:
        backup.mkdir()
        if connection.vendor == "postgresql":
            subprocess.run(
                [
                    "pg_dump",
                    "-Fc",
                    *databases.client_options(connection.settings_dict),
                    "-f",
                    str(backup / "technopolice.dump"),
                    connection.settings_dict["NAME"],
                ],
                check=True,
                timeout=120,
                env=databases.client_env(connection.settings_dict),
            )
        else:
            connection.ensure_connection()
            with sqlite3.connect(backup / "technopolice.sqlite3") as copy:
                connection.connection.backup(copy)
            copy.close()
        shutil.copytree(self.source_media, backup / "media")
        # The offline copy of /etc/technopolice: the key files and the environment naming them.
        offline = backup / "offline"
        offline.mkdir()
        (offline / "secret_key").write_text(settings.SECRET_KEY)
        (offline / "complaints_keys").write_text(",".join(settings.COMPLAINTS_KEYS))
        (offline / "complaints_hash_key").write_text(settings.COMPLAINTS_HASH_KEY)

    def restore(self, backup: Path, data_dir: Path) -> str:
        """The database and the media into new places; the DATABASE_URL of the restored copy."""
        data_dir.mkdir()
        shutil.copytree(backup / "media", data_dir / "media")
        if connection.vendor != "postgresql":
            shutil.copy(backup / "technopolice.sqlite3", data_dir / "technopolice.sqlite3")
            return f"sqlite:///{data_dir / 'technopolice.sqlite3'}"
        params = connection.settings_dict
        base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x"))
        url = base._replace(path=f"/{params['NAME']}_restored").geturl()
        databases.recreate_database(url)
        self.addCleanup(databases.drop_database, url)
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                *databases.client_options(params),
                "-d",
                databases.database_name(url),
                str(backup / "technopolice.dump"),
            ],
            check=True,
            timeout=120,
            env=databases.client_env(params),
        )
        return url

    def platform(self, *args: str, environ: dict, module: str = "technopolice") -> str:
        result = subprocess.run(
            [sys.executable, "-m", module, *args], env=environ, capture_output=True, text=True, timeout=120
        )
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        return result.stdout

    def test_a_backup_restores_into_a_new_database_and_data_folder(self):
        probe = self.populate()
        stored = checksums(self.source_media)
        self.assertEqual(len(stored), 2)
        backup = self.work / "backup"
        self.back_up(backup)
        data_dir = self.work / "restored"
        offline = backup / "offline"
        # The organiser's key file, on the organiser's machine: not in the backup.
        organiser_key = self.work / "organiser" / "campaign.key"
        organiser_key.parent.mkdir()
        organiser_key.write_text(sealing.key_file_text(PRIVATE_KEY, PUBLIC_KEY))
        probe["key_file"] = str(organiser_key)
        environ = {name: os.environ[name] for name in _KEPT if name in os.environ}
        environ.update(
            DATA_DIR=str(data_dir),
            DATABASE_URL=self.restore(backup, data_dir),
            ALLOWED_HOSTS="testserver",
            SECRET_KEY_FILE=str(offline / "secret_key"),
            COMPLAINTS_KEYS_FILE=str(offline / "complaints_keys"),
            COMPLAINTS_HASH_KEY_FILE=str(offline / "complaints_hash_key"),
            PROBE=json.dumps(probe),
        )
        self.assertEqual(checksums(data_dir / "media"), stored)

        self.platform("migrate", "--check", environ=environ)  # the restored schema is complete
        self.platform("refresh_map_clusters", environ=environ)
        found = json.loads(self.platform(environ=environ, module="technopolice.testing.tests.restore_probe"))
        self.assertEqual(found["dossier"], [200, True])
        self.assertEqual(found["search"], [200, True])
        self.assertEqual(found["map"], [200, 12])
        self.assertEqual(len(found["files"]), 2)
        for recorded, read in found["files"].items():
            self.assertEqual(recorded, read)  # each file's bytes are those its record was stored with
        status, export = found["export"]
        self.assertEqual(status, 200, export[:500])
        self.assertIn("Zoé", export)
        self.assertIn("zoe@example.net", export)
        self.assertIn("Yann", export)
        self.assertEqual(found["checks"], [])

        # The same backup with the keys of a new environment file instead of the offline copy.
        new_keys = self.work / "new-keys"
        new_keys.write_text(Fernet.generate_key().decode())
        found = json.loads(
            self.platform(
                environ={**environ, "COMPLAINTS_KEYS_FILE": str(new_keys)},
                module="technopolice.testing.tests.restore_probe",
            )
        )
        self.assertEqual(found["dossier"], [200, True])  # the rest of the platform works
        status, export = found["export"]
        self.assertEqual(status, 200, export[:500])  # the identities open with the organiser's key
        self.assertIn("Zoé", export)
        self.assertEqual(found["checks"], ["complaints.E004"])  # the emails the server kept do not

        # Another private key than the campaign's: refused clearly, nothing read.
        other_private, other_public = sealing.generate_keypair()
        wrong = self.work / "organiser" / "other.key"
        wrong.write_text(sealing.key_file_text(other_private, other_public))
        found = json.loads(
            self.platform(
                environ={**environ, "PROBE": json.dumps({**probe, "key_file": str(wrong)})},
                module="technopolice.testing.tests.restore_probe",
            )
        )
        status, page = found["export"]
        self.assertEqual(status, 400)
        self.assertIn(other_public, page)  # the message names the key given and the campaign's
        self.assertIn(PUBLIC_KEY, page)
        self.assertNotIn("Zoé", page)
        self.assertNotIn("Traceback", page)
