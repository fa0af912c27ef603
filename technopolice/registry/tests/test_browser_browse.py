"""A visitor without JavaScript finds a dossier by searching, narrowing with facets and switching language."""

from technopolice.testing.browser import BrowserTestCase

from .factories import SourceFactory
from .world import build_world


class BrowseWithoutJavaScriptTests(BrowserTestCase):
    context_options = {"java_script_enabled": False, "viewport": {"width": 390, "height": 844}}

    def setUp(self):
        super().setUp()
        build_world(self)
        SourceFactory(dossier=self.micros)

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
        self.assert_no_foreign_requests()

    def test_every_page_fits_a_phone_screen(self):
        # Measured with a script-enabled page: the site itself runs no script, the measurement does.
        page = self.new_page(java_script_enabled=True)
        for path in ("/", "/dossiers/", "/dossiers/micros/", "/communes/saint-etienne-42218/", "/decisions/"):
            with self.subTest(path=path):
                page.goto(self.live_server_url + path)
                self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
