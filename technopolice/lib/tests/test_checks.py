# ruff: noqa: S603  (runs redis-server and the platform's own command with fixed arguments)
"""The deploy checks stop a production that would answer 500 or share one rate limit.

Each check is run as a function with the settings it looks at, against a real Redis server
started here; then `technopolice check --deploy` runs in a process of its own with a
production environment, as an operator would run it before starting the services."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from unittest import mock

from cryptography.fernet import Fernet
from django.test import SimpleTestCase, override_settings

from technopolice.lib import checks
from technopolice.testing.redis import free_port, start_redis


def redis_cache(url: str) -> dict:
    return {"default": {"BACKEND": checks.REDIS_BACKEND, "LOCATION": url}}


def ids(errors) -> list[str]:
    return [error.id for error in errors]


class RedisClientTests(SimpleTestCase):
    def test_redis_url_without_the_client_library_is_an_error(self):
        with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/0")):
            with mock.patch.dict(sys.modules, {"redis": None}):  # `import redis` fails, as after pip install
                self.assertEqual(ids(checks.check_redis_client()), ["technopolice.E001"])
            self.assertEqual(checks.check_redis_client(), [])  # with the library (a dependency now)

    def test_no_redis_no_error(self):
        with mock.patch.dict(sys.modules, {"redis": None}):
            self.assertEqual(checks.check_redis_client(), [])
            self.assertEqual(checks.check_redis_server(), [])

    def test_the_client_library_is_a_dependency(self):
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
        dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
        self.assertTrue([d for d in dependencies if d.split(">")[0].split("=")[0].strip() == "redis"])


class RedisServerTests(SimpleTestCase):
    def test_a_server_that_answers_passes_and_one_that_does_not_is_an_error(self):
        url, server = start_redis(type(self))
        with override_settings(CACHES=redis_cache(url)):
            self.assertEqual(checks.check_redis_server(), [])
        server.terminate()
        server.wait()
        started = time.monotonic()
        with override_settings(CACHES=redis_cache(url)):
            found = checks.check_redis_server()
        self.assertEqual(ids(found), ["technopolice.E002"])
        self.assertLess(time.monotonic() - started, checks.REDIS_TIMEOUT_SECONDS * 2 + 1)


class ProxyTests(SimpleTestCase):
    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), TRUSTED_PROXY_COUNT=0)  # noqa: E501
    def test_behind_a_proxy_without_the_client_header_is_an_error(self):
        self.assertEqual(ids(checks.check_proxy_client_header()), ["technopolice.E003"])

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_with_the_client_header_passes(self):
        self.assertEqual(checks.check_proxy_client_header(), [])

    @override_settings(SECURE_PROXY_SSL_HEADER=None, TRUSTED_PROXY_COUNT=0)
    def test_no_proxy_no_header_needed(self):
        self.assertEqual(checks.check_proxy_client_header(), [])


class CheckDeployTests(unittest.TestCase):
    """`technopolice check --deploy` as the operator runs it, in production mode."""

    def run_check(self, extra_env: dict, prelude: str = "") -> subprocess.CompletedProcess:
        data_dir = tempfile.mkdtemp(prefix="tp-checks-")
        self.addCleanup(shutil.rmtree, data_dir)
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DATABASE_URL", "REDIS_URL", "TRUSTED_PROXY", "COMPLAINTS_", "SECRET_KEY"))
        }
        env.update(
            {
                "PRODUCTION": "True",
                "SECRET_KEY": "x" * 64,
                "ALLOWED_HOSTS": "technopolice.example.org",
                "DATA_DIR": data_dir,
                "COMPLAINTS_KEYS": Fernet.generate_key().decode(),
                "COMPLAINTS_HASH_KEY": "h" * 43,
                "EMAIL_HOST": "smtp.example.org",
                **extra_env,
            }
        )
        env.pop("DJANGO_SETTINGS_MODULE", None)
        script = prelude + (
            "from technopolice.__main__ import main\nsys.argv = ['technopolice', 'check', '--deploy']\nmain()"
        )
        return subprocess.run(
            [sys.executable, "-c", "import sys\n" + script],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_redis_without_its_library_and_a_proxy_without_client_header_fail(self):
        result = self.run_check(
            {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}, prelude="sys.modules['redis'] = None\n"
        )
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("technopolice.E001", result.stderr)
        self.assertIn("the redis client library is not installed", result.stderr)
        self.assertIn("technopolice.E003", result.stderr)

    def test_an_unreachable_redis_fails(self):
        result = self.run_check({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("technopolice.E002", result.stderr)
        self.assertNotIn("technopolice.E001", result.stderr)
