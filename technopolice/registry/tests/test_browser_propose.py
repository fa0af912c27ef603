"""The whole contribution path in a real browser: propose anonymously, accept as a moderator, read it.

A real server (gunicorn, the production WSGI server, on a free port) runs on its own database:
a temporary SQLite file, or a scratch PostgreSQL database when the suite runs on PostgreSQL.
Debian's chromium, driven by Playwright, fills the real form, whose proof of work (ALTCHA)
it solves itself. Every request the pages make is recorded: none may leave the platform's host.
When something fails, the server's output is printed with the failure.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp

from technopolice.testing.browser import ASYNC_UNSAFE, BrowserMixin
from technopolice.testing.cases import PASSWORD
from technopolice.testing.databases import drop_database, recreate_database

# The moderator's authenticator secret (hex, as django-otp stores it): the test is their phone.
TOTP_KEY = "3132333435363738393031323334353637383930"
# The server's data: a moderator with an authenticator, and the commune and technology the dossier names.
SEED = f"""
import django
django.setup()
from technopolice.accounts.roles import MODERATORS
from technopolice.registry.tests.factories import CommuneFactory, TechnologyFactory
from technopolice.testing.cases import make_user, totp_device
CommuneFactory()
TechnologyFactory()
device = totp_device(make_user("bob", MODERATORS))
device.key = "{TOTP_KEY}"
device.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The platform in its own processes, on its own database, as an operator would run it."""

    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="tp-browser-")
        self.log_path = Path(self.folder.name) / "server.log"
        # Not the test run's database, nor the test-only permission to touch it from async code.
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", ASYNC_UNSAFE)}
        self.env.update(DATA_DIR=self.folder.name, DJANGO_SETTINGS_MODULE="technopolice.settings")
        self.database_url = self._scratch_postgres()
        if self.database_url:
            self.env["DATABASE_URL"] = self.database_url
        self.process = None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def _scratch_postgres(self) -> str | None:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            return None
        scratch = urlsplit(url)._replace(path=f"/tp_browser_{uuid.uuid4().hex[:8]}").geturl()
        recreate_database(scratch)
        return scratch

    def run(self, *args: str) -> None:
        """A Python command in the server's environment; its output goes to the server log."""
        with self.log_path.open("a") as log:
            subprocess.run(
                [sys.executable, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT, check=True
            )

    def start(self) -> None:
        self.run("-m", "technopolice", "migrate", "--noinput", "-v", "0")
        self.run("-c", SEED)
        command = [sys.executable, "-m", "gunicorn", "technopolice.wsgi", "--bind", f"127.0.0.1:{self.port}"]
        # No control socket: its default path is shared by every gunicorn of the user.
        command += ["--threads", "4", "--no-control-socket"]
        with self.log_path.open("a") as log:
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server died at start-up:\n{self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"The server did not listen within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else "(no output)"

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.database_url:
            drop_database(self.database_url)
        self.folder.cleanup()


def path(name: str, *args) -> str:
    """A French URL of the platform (French is the default language)."""
    with translation.override("fr"):
        return reverse(name, args=args)


@pytest.mark.browser
class ProposeThenAcceptInABrowserTests(BrowserMixin, SimpleTestCase):
    context_options = {"locale": "fr-FR"}

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.addClassCleanup(cls.server.stop)  # also when a later step of the set-up fails
        cls.server.start()
        super().setUpClass()

    @property
    def own_url(self) -> str:
        return self.server.url

    def setUp(self):
        super().setUp()
        self.title = f"Micros de surveillance à Saint-Étienne {uuid.uuid4().hex[:6]}"

    def new_page(self, **options):
        page = super().new_page(**options)
        page.context.set_default_timeout(30_000)
        return page

    @contextmanager
    def server_output_on_failure(self):
        """Whatever fails, show what the server said: a 500 is only explained there."""
        try:
            yield
        except BaseException:
            print(f"\n--- server output ---\n{self.server.output()}\n--- end of server output ---")
            raise

    def propose_anonymously(self) -> str:
        """Fill the real form as a visitor without an account; return the private follow link."""
        page = self.new_page()
        page.goto(self.server.url + path("registry:dossier_propose"))
        page.fill("[name=title]", self.title)
        page.select_option("[name=status]", "experimentation")
        page.fill("[name=description]", "La ville installe des **capteurs sonores** dans un quartier.")
        page.check("input[name=technologies][value=audio-sensors]")
        page.fill("[name=communes]", "Saint-Étienne (42)")
        page.fill("[name=sources-0-url]", "https://www.laquadrature.net/2019/03/saint-etienne/")
        page.fill("[name=sources-0-title]", "Saint-Étienne : des micros dans la rue")
        page.fill("[name=sources-0-publisher]", "La Quadrature du Net")
        page.click("form.proposal-form button[type=submit]")
        # The ALTCHA widget solves its proof of work in the browser before the form is sent.
        page.wait_for_url("**" + path("registry:proposal_sent"), timeout=60_000)
        return page.locator("a.follow-link").get_attribute("href")

    def accept_as_moderator(self) -> None:
        page = self.new_page()
        page.goto(self.server.url + path("accounts:login") + "?next=" + path("moderation:queue"))
        page.fill("[name=username]", "bob")
        page.fill("[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        # Moderators pass a second factor before the queue: the code their app shows now.
        page.wait_for_url("**" + path("accounts:second_factor_verify") + "?next=*")
        page.fill("[name=token]", f"{totp(bytes.fromhex(TOTP_KEY)):06d}")
        page.click("main form button[type=submit]")
        page.wait_for_url("**" + path("moderation:queue"))
        page.get_by_role("link", name=self.title).click()
        # Proof that the widget worked under our strict CSP: no "sent without proof of work" flag.
        self.assertEqual(page.locator(".badge.warning").count(), 0)
        page.click("form[action$='/accepter/'] button[type=submit]")
        page.wait_for_load_state()

    def test_a_visitor_proposes_a_moderator_accepts_and_the_public_reads_it(self):
        with self.server_output_on_failure():
            follow_url = self.propose_anonymously()
            self.assertTrue(follow_url.startswith(self.server.url + "/"), follow_url)
            self.accept_as_moderator()
            self.read_it_as_the_public(follow_url)
            self.assert_only_our_host_was_contacted()

    def read_it_as_the_public(self, follow_url: str) -> None:
        page = self.new_page()  # no session, no cookie
        page.goto(follow_url)
        page.locator("main a", has_text=self.title).click()
        page.wait_for_load_state()
        self.assertEqual(page.locator("h1").inner_text(), self.title)
        source = page.locator("a[href='https://www.laquadrature.net/2019/03/saint-etienne/']")
        self.assertEqual(source.inner_text(), "Saint-Étienne : des micros dans la rue")

    def assert_only_our_host_was_contacted(self):
        self.assertGreater(len(self.requests), 10)  # pages, styles, scripts, the ALTCHA worker...
        self.assert_no_foreign_requests(inline=True)
