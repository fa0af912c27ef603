"""A visitor without JavaScript finds a dossier by searching, narrowing with facets and switching language."""

import os

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from .factories import SourceFactory
from .world import build_world

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.mark.browser
class BrowseWithoutJavaScriptTests(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop; Django refuses DB access from async contexts.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        build_world(self)
        SourceFactory(dossier=self.micros)
        self.page = self.browser.new_page(java_script_enabled=False, viewport={"width": 390, "height": 844})
        self.page.on("request", self.refuse_other_hosts)
        self.other_hosts: list[str] = []

    def tearDown(self):
        self.page.close()

    def refuse_other_hosts(self, request):
        if not request.url.startswith(self.live_server_url):
            self.other_hosts.append(request.url)

    def test_search_then_facet_then_dossier_then_english(self):
        page = self.page
        page.goto(self.live_server_url + "/")
        page.fill("#home-q", "SAINT etienne")
        page.click("form.search button")
        page.wait_for_load_state()
        self.assertIn("/dossiers/?q=SAINT+etienne", page.url)
        slugs = [row.get_attribute("data-slug") for row in page.locator("tr[data-slug]").all()]
        self.assertEqual(slugs, ["micros"])

        page.goto(self.live_server_url + "/dossiers/")
        page.locator(".facets a", has_text="Drones").click()
        page.wait_for_load_state()
        slugs = sorted(r.get_attribute("data-slug") for r in page.locator("tr[data-slug]").all())
        self.assertEqual(slugs, ["drones-12", "drones-loire"])
        page.select_option("#id_sort", "name")
        page.click(".filters button")
        page.wait_for_load_state()
        self.assertIn("technology=drones", page.url)
        self.assertIn("sort=name", page.url)

        page.goto(self.live_server_url + "/dossiers/micros/")
        self.assertTrue(page.locator("a", has_text="Saint-Étienne : des micros dans la rue").is_visible())
        page.click("a[hreflang=en]")
        page.wait_for_load_state()
        self.assertEqual(page.url, self.live_server_url + "/en/dossiers/micros/")
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        self.assertEqual(self.other_hosts, [])

    def test_every_page_fits_a_phone_screen(self):
        # Measured with a script-enabled page: the site itself runs no script, the measurement does.
        page = self.browser.new_page(viewport={"width": 390, "height": 844})
        for path in ("/", "/dossiers/", "/dossiers/micros/", "/communes/saint-etienne-42218/", "/decisions/"):
            with self.subTest(path=path):
                page.goto(self.live_server_url + path)
                self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        page.close()
