"""The browser tests' common ground: Debian's headless chromium driven by Playwright, every
request recorded so a test can assert that nothing left the platform's host."""

import os
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright never downloads a browser here
# Headless, and nothing that calls home on its own (updates, sync, QUIC probes), so that every
# request the browser makes is one a page asked for.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class BrowserMixin:
    """One Playwright and one chromium per test class; a fresh profile per page, whose every
    request is recorded in ``self.requests``. ``own_url`` is the platform's origin."""

    context_options: dict = {}

    @classmethod
    def setUpClass(cls) -> None:
        cls._allow_async_unsafe()
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.addClassCleanup(cls.playwright.stop)
        cls.browser = launch_chromium(cls.playwright)
        cls.addClassCleanup(cls.browser.close)

    @classmethod
    def _allow_async_unsafe(cls) -> None:
        """Playwright's sync API runs an event loop in the test's thread, and Django then refuses
        the test's own (blocking, ordinary) ORM calls. Allow them while this class runs only:
        left set, the variable would leak into every later test and subprocess."""
        previous = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        cls.addClassCleanup(_restore_environ, ASYNC_UNSAFE, previous)

    def setUp(self) -> None:
        super().setUp()
        self.requests: list[str] = []

    @property
    def own_url(self) -> str:
        return self.live_server_url

    def new_page(self, **options):
        """A page in a fresh browser profile (own cookies), closed after the test."""
        context = self.browser.new_context(**{**self.context_options, **options})
        self.addCleanup(context.close)
        context.on("request", lambda request: self.requests.append(request.url))
        return context.new_page()

    def assert_no_foreign_requests(self, inline: bool = False) -> None:
        """No request went to another host than the platform's. With ``inline``, data: and
        blob: URLs, which the browser resolves itself without any network, are accepted."""
        own = urlsplit(self.own_url)
        allowed = ("data", "blob") if inline else ()
        foreign = [
            url
            for url in self.requests
            if urlsplit(url).scheme not in allowed and urlsplit(url)[:2] != own[:2]
        ]
        self.assertEqual(foreign, [], "a page made a request to another host")


def _restore_environ(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


@pytest.mark.browser
class BrowserTestCase(BrowserMixin, StaticLiveServerTestCase):
    """A live server of the platform (static files included) and a page per test in ``self.page``."""

    def setUp(self) -> None:
        super().setUp()
        self.page = self.new_page()
