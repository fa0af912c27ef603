# ruff: noqa: S603, S607  (runs bash on the documentation's own example)
"""The examples of docs/production.md work when copied: the environment file reads the same in
the shell (`set -a && . env`) and in systemd (`EnvironmentFile=`), and nginx lets through the
largest upload the platform accepts and sends plain HTTP to HTTPS."""

import json
import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

from technopolice.mapdata.forms import MAX_PHOTO_BYTES

# The operator's `set -a && . /etc/technopolice/env && set +a`, then what the process received.
SOURCE_AND_PRINT = (
    'set -eu; set -a; . "$1"; set +a; python3 -c "import json, os; print(json.dumps(dict(os.environ)))"'
)
PRODUCTION_MD = Path(__file__).resolve().parents[3] / "docs" / "production.md"


def block_after(heading: str, language: str) -> str:
    text = PRODUCTION_MD.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    return match.group(1)


def read_like_systemd(text: str) -> dict:
    """systemd's EnvironmentFile: comment lines skipped, KEY=VALUE, one pair of quotes removed.
    A `#` after a value is part of the value there, which is why the example has none."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


class EnvironmentFileTests(SimpleTestCase):
    def test_bash_sources_it_and_reads_what_systemd_reads(self):
        example = block_after("## 2. Configure", "sh")
        with tempfile.NamedTemporaryFile("w", suffix=".env") as env_file:
            env_file.write(example)
            env_file.flush()
            result = subprocess.run(
                [
                    "bash",
                    "-c",
                    SOURCE_AND_PRINT,
                    "bash",
                    env_file.name,
                ],
                env={"PATH": "/usr/bin:/bin"},
                capture_output=True,
                text=True,
                timeout=30,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        from_bash = json.loads(result.stdout)
        expected = read_like_systemd(example)
        self.assertIn("DEFAULT_FROM_EMAIL", expected)
        self.assertEqual(from_bash["DEFAULT_FROM_EMAIL"], "Technopolice <noreply@technopolice.example.org>")
        for key, value in expected.items():
            self.assertEqual(from_bash.get(key), value, key)
        # What production refuses to start without is all there.
        for required in [
            "SECRET_KEY_FILE",
            "ALLOWED_HOSTS",
            "COMPLAINTS_KEYS_FILE",
            "COMPLAINTS_HASH_KEY_FILE",
        ]:
            self.assertIn(required, expected)
        self.assertGreaterEqual(int(expected["TRUSTED_PROXY_COUNT"]), 1)


class NginxExampleTests(SimpleTestCase):
    def setUp(self):
        self.config = block_after("## 5. The HTTPS proxy", "nginx")

    def test_the_body_limit_lets_the_largest_upload_through(self):
        limits = re.findall(r"client_max_body_size\s+(\w+);", self.config)
        self.assertEqual(len(limits), 1)
        form_overhead = 64 * 1024  # the multipart envelope, the other fields, the proof of work
        largest = max(settings.DOCUMENTS_MAX_BYTES, MAX_PHOTO_BYTES)
        self.assertGreaterEqual(nginx_size(limits[0]), largest + form_overhead)

    def test_plain_http_is_redirected_to_https(self):
        servers = re.split(r"\nserver\s*\{", self.config)[1:]
        plain = [s for s in servers if re.search(r"listen\s+80;", s)]
        self.assertEqual(len(plain), 1)
        self.assertIn("return 301 https://$host$request_uri;", plain[0])
        self.assertNotIn("proxy_pass", plain[0])

    def test_the_proxy_sends_what_the_platform_trusts(self):
        self.assertIn("proxy_set_header X-Forwarded-Proto $scheme;", self.config)
        self.assertIn("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;", self.config)
