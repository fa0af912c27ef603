# ruff: noqa: S603  (runs the platform's own settings in a new process)
"""Item 11 of issue 15: a Permissions-Policy on every answer, __Host- cookies in production,
and logins that last a day rather than Django's fourteen."""

import json
import os
import secrets
import subprocess
import sys
import tempfile

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import SimpleTestCase

from technopolice.testing.browser import BrowserTestCase
from technopolice.testing.cases import PASSWORD, BaseTestCase

_KEPT = ("PATH", "HOME", "LANG", "TMPDIR")

# Run in production mode: the login page's answer as a browser over HTTPS would get it.
PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
with override_settings(STORAGES=plain):  # no collectstatic in a scratch folder
    r = Client().get("/comptes/connexion/", secure=True, headers={"host": "technopolice.example.org"})
cookies = {name: {key: m[key] for key in ("secure", "path", "domain")} for name, m in r.cookies.items()}
print(json.dumps({"status": r.status_code, "session": settings.SESSION_COOKIE_NAME,
                  "csrf": settings.CSRF_COOKIE_NAME, "age": settings.SESSION_COOKIE_AGE, "cookies": cookies}))
"""


class PermissionsPolicyTests(BaseTestCase):
    def test_pages_deny_device_features(self):
        for url in ["/", "/carte/", "/comptes/connexion/"]:
            policy = self.client.get(url, follow=True).headers.get("Permissions-Policy", "")
            for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
                self.assertIn(f"{feature}=()", policy, url)


class SessionAgeTests(BaseTestCase):
    def test_a_login_lasts_one_day(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 24 * 3600)
        r = self.client.post("/comptes/connexion/", {"username": "alice", "password": PASSWORD})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(r.cookies[settings.SESSION_COOKIE_NAME]["max-age"], 24 * 3600)


class HostCookieTests(SimpleTestCase):
    def probe(self, **variables) -> dict:
        with tempfile.TemporaryDirectory() as data_dir:
            environ = {name: os.environ[name] for name in _KEPT if name in os.environ}
            environ.update(
                DJANGO_SETTINGS_MODULE="technopolice.settings",
                DATA_DIR=data_dir,
                SECRET_KEY=secrets.token_urlsafe(64),
                ALLOWED_HOSTS="technopolice.example.org",
                COMPLAINTS_KEYS=Fernet.generate_key().decode(),
                COMPLAINTS_HASH_KEY=secrets.token_urlsafe(32),
                **variables,
            )
            result = subprocess.run(
                [sys.executable, "-c", PRODUCTION_PROBE],
                env=environ,
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout.strip().splitlines()[-1])

    def test_production_cookies_take_the_host_prefix_with_what_it_requires(self):
        found = self.probe(PRODUCTION="True")
        self.assertEqual((found["session"], found["csrf"]), ("__Host-sessionid", "__Host-csrftoken"))
        self.assertEqual(found["status"], 200)
        # Browsers drop a __Host- cookie unless it is Secure, on Path=/ and without Domain.
        self.assertEqual(found["cookies"]["__Host-csrftoken"], {"secure": True, "path": "/", "domain": ""})
        self.assertEqual(found["age"], 24 * 3600)

    def test_embedded_mode_keeps_plain_names_over_http(self):
        found = self.probe(PRODUCTION="False")
        self.assertEqual((found["session"], found["csrf"]), ("sessionid", "csrftoken"))

    def test_the_session_length_is_a_setting(self):
        self.assertEqual(self.probe(PRODUCTION="True", SESSION_COOKIE_AGE="43200")["age"], 43200)


@pytest.mark.browser
class PermissionsPolicyBrowserTests(BrowserTestCase):
    def test_chromium_knows_every_feature_the_policy_names(self):
        """A misspelt or retired feature name is reported in the console, and denies nothing."""
        messages: list[str] = []
        self.page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        response = self.page.goto(self.live_server_url + "/carte/")
        self.assertIn("geolocation=()", response.headers["permissions-policy"])
        self.assertFalse(self.page.evaluate("document.featurePolicy.allowsFeature('geolocation')"))
        self.assertFalse(self.page.evaluate("document.featurePolicy.allowsFeature('camera')"))
        self.assertEqual([m for m in messages if "Permissions-Policy" in m or "feature" in m.lower()], [])
