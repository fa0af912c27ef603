"""Production settings, checked the way an operator would: `technopolice check --deploy` in a new process.

Settings are read once at import, so each case runs the real command with its own environment.
"""

import base64
import os
import secrets
import subprocess
import sys
import tempfile

from django.test import SimpleTestCase

from technopolice.testing.redis import start_redis

# Only what a process needs to run: the developer's shell and other tests (one sets
# DJANGO_ALLOW_ASYNC_UNSAFE) must not leak into what is meant to be a production start.
_KEPT = ("PATH", "HOME", "LANG", "TMPDIR")


def run_technopolice(*args: str, **variables: str) -> subprocess.CompletedProcess:
    environ = {name: os.environ[name] for name in _KEPT if name in os.environ}
    environ.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "technopolice", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


class ProductionSettingsTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # check --deploy asks Redis for an answer (lib/checks.py): a server of the test's own.
        cls.redis_url, _server = start_redis(cls)

    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory()
        self.production = {
            "PRODUCTION": "True",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "technopolice.example.org",
            "DATABASE_URL": "postgres://technopolice:secret@127.0.0.1:5432/technopolice",
            "REDIS_URL": self.redis_url,
            "TRUSTED_PROXY_COUNT": "1",
            "EMAIL_HOST": "smtp.example.org",
            "DATA_DIR": self.data_dir.name,
            "COMPLAINTS_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "COMPLAINTS_HASH_KEY": secrets.token_urlsafe(32),
        }

    def tearDown(self):
        self.data_dir.cleanup()

    def check_deploy(self, **changes: str) -> subprocess.CompletedProcess:
        variables = {**self.production, **changes}
        return run_technopolice("check", "--deploy", **{k: v for k, v in variables.items() if v is not None})

    def test_it_passes_check_deploy_without_a_single_warning(self):
        result = self.check_deploy()
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, output)
        self.assertIn("System check identified no issues (0 silenced).", output)
        self.assertNotIn("WARNING", output)

    def test_it_reads_the_secret_key_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".key") as key_file:
            key_file.write(secrets.token_urlsafe(64))
            key_file.flush()
            result = self.check_deploy(SECRET_KEY="", SECRET_KEY_FILE=key_file.name)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("WARNING", result.stdout + result.stderr)

    def test_it_refuses_to_start_without_a_secret_key(self):
        result = self.check_deploy(SECRET_KEY="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PRODUCTION=True needs SECRET_KEY", result.stderr)

    def test_it_refuses_to_start_without_allowed_hosts(self):
        result = self.check_deploy(ALLOWED_HOSTS="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PRODUCTION=True needs ALLOWED_HOSTS", result.stderr)

    def test_it_flags_a_short_secret_key(self):
        result = self.check_deploy(SECRET_KEY="too-short")
        self.assertIn("security.W009", result.stdout + result.stderr)

    def test_it_flags_debug_in_production(self):
        result = self.check_deploy(DEBUG="True")
        self.assertIn("security.W018", result.stdout + result.stderr)

    def test_it_reports_emails_that_would_never_leave_the_server(self):
        # Without EMAIL_HOST, mail goes to files: fine for the demo, an error in production.
        result = self.check_deploy(EMAIL_HOST="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("mail.E001", result.stdout + result.stderr)

    def test_it_refuses_a_boolean_it_would_have_to_guess(self):
        result = self.check_deploy(PRODUCTION="yes")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("PRODUCTION must be True or False, not 'yes'", result.stderr)


class EmbeddedSettingsTests(SimpleTestCase):
    def test_it_runs_with_no_configuration_at_all(self):
        with tempfile.TemporaryDirectory() as data_dir:
            result = run_technopolice("check", DATA_DIR=data_dir)
            self.assertEqual(result.returncode, 0, result.stderr)
            # The generated key is kept, private, so sessions survive a restart.
            key_file = os.path.join(data_dir, "secret_key")
            self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)
