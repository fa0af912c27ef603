"""The map in a real headless chromium: clusters, zoom, popup, and no request to another host."""

import os
import random
from urllib.parse import parse_qs, urlparse

from django.urls import reverse
from playwright.sync_api import expect

from technopolice.testing.browser import BrowserTestCase

from .mapview_helpers import camera, many


def zoom_of(url: str) -> int:
    return int(parse_qs(urlparse(url).query).get("z", ["0"])[0])


class MapBrowserTests(BrowserTestCase):
    context_options = {"viewport": {"width": 1000, "height": 700}}

    def setUp(self):
        super().setUp()
        rng = random.Random(3)
        # ~200 cameras in three towns, like real ones: dense centres, a few strays.
        towns = [(45.4339, 4.3897, 120), (45.764, 4.8357, 60), (43.2965, 5.3698, 19)]
        points = [
            (lat + rng.gauss(0, 0.01), lon + rng.gauss(0, 0.01)) for lat, lon, n in towns for _ in range(n)
        ]
        many(points, surveillance_type="camera")
        self.pole = camera(45.44, 4.39, surveillance_type="ALPR", directions=[45.0, 225.0], operator="Ville")
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def open_map(self, query: str = ""):
        self.page.goto(self.live_server_url + reverse("mapdata:map") + query)
        self.page.wait_for_selector(".cluster")

    def assert_only_own_host(self, expect_clusters=True):
        self.assert_no_foreign_requests(inline=True)
        if expect_clusters:
            self.assertTrue(any("/carte/clusters.json" in u for u in self.requests))

    def test_it_shows_clusters_zooms_into_one_and_opens_a_popup(self):
        self.open_map("?lat=44.5&lon=4.8&z=6")
        if os.environ.get("MAP_SCREENSHOTS"):
            self.page.screenshot(path=os.environ["MAP_SCREENSHOTS"] + "/clusters.png")
        counts = [int(t) for t in self.page.locator(".cluster span").all_inner_texts()]
        self.assertEqual(sum(counts) + self.page.locator("path.camera").count(), 200)
        zoom_before = zoom_of(self.page.url)
        biggest = max(range(len(counts)), key=counts.__getitem__)
        self.page.locator(".cluster").nth(biggest).click()
        # (wait_for_function evaluates strings, which the page's CSP rightly forbids)
        self.page.wait_for_url(lambda url: zoom_of(url) > zoom_before)
        self.page.wait_for_load_state("networkidle")
        self.page.goto(self.live_server_url + reverse("mapdata:map") + "?lat=45.44&lon=4.39&z=17")
        self.page.wait_for_selector("path.camera-ALPR")
        self.assertEqual(self.page.locator("path.camera-cone").count(), 2)
        self.page.locator("path.camera-ALPR").click(force=True)
        popup = self.page.wait_for_selector(".camera-popup")
        if os.environ.get("MAP_SCREENSHOTS"):
            self.page.screenshot(path=os.environ["MAP_SCREENSHOTS"] + "/popup.png")
        self.assertIn("ALPR", popup.inner_text())
        self.assertIn("Ville", popup.inner_text())
        self.assert_only_own_host()
        self.assertEqual(self.errors, [])

    def test_filters_and_view_are_kept_in_the_address(self):
        self.open_map("?lat=44.5&lon=4.8&z=6")
        self.page.select_option("#id_type", "ALPR")
        self.page.click("#map-filters button[type=submit]")
        self.page.wait_for_url(lambda url: "type=ALPR" in url)
        expect(self.page.locator(".cluster")).to_have_count(0)
        expect(self.page.locator("path.camera")).to_have_count(1)
        href = self.page.get_attribute("[data-export][href*=geojson]", "href")
        self.assertIn("type=ALPR", href)
        self.page.reload()
        self.page.wait_for_selector("path.camera")
        self.assertEqual(self.page.locator("path.camera").count(), 1)
        self.assert_only_own_host()
        self.assertEqual(self.errors, [])

    def test_clicking_the_proposal_map_fills_in_the_position(self):
        self.page.goto(self.live_server_url + reverse("mapdata:propose"))
        self.page.wait_for_load_state("load")
        self.assertEqual(self.errors, [])
        self.page.wait_for_selector("#propose-map.leaflet-container")
        self.page.locator("#propose-map").click(position={"x": 200, "y": 150})
        latitude, longitude = self.page.input_value("#id_latitude"), self.page.input_value("#id_longitude")
        self.assertTrue(41 < float(latitude) < 52 and -6 < float(longitude) < 10, (latitude, longitude))
        self.assertEqual(self.page.locator("#propose-map path.camera").count(), 1)
        self.assert_only_own_host(expect_clusters=False)
        self.assertEqual(self.errors, [])

    def test_it_fits_a_phone(self):
        self.page.set_viewport_size({"width": 375, "height": 700})
        self.open_map()
        box = self.page.locator("#map").bounding_box()
        self.assertLessEqual(box["width"], 375)
        self.assertGreater(box["height"], 300)
        self.assertEqual(self.errors, [])
