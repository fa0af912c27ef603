import re

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import camera


class MapPageTests(BaseTestCase):
    url = reverse("mapdata:map")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        camera(43.7, 7.27, surveillance_type="ALPR", zone="traffic", operator="Ville de Nice")

    def setUp(self):
        super().setUp()
        cache.clear()  # filter choices are cached for minutes: each test sees its own cameras

    def test_it_serves_the_map_with_its_own_scripts_only(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="map"')
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', response.content.decode())
        self.assertEqual(scripts, ["/static/vendor/leaflet/dist/leaflet.js", "/static/mapdata/map.js"])
        self.assertNotRegex(response.content.decode(), r'(src|href)="(https?:)?//')

    def test_it_has_no_inline_script_nor_style(self):
        html = self.client.get(self.url).content.decode()
        self.assertNotRegex(html, r"<script(?![^>]*(src=|application/json))")
        self.assertNotIn("style=", html)
        self.assertNotIn("<style", html)

    def test_it_offers_filters_from_the_data_and_keeps_them_in_export_links(self):
        response = self.client.get(self.url, {"type": "ALPR", "zone": "traffic"})
        self.assertContains(response, '<option value="ALPR" selected>ALPR</option>', html=False)
        self.assertContains(response, "/carte/cameras.geojson?type=ALPR&amp;zone=traffic")
        self.assertContains(response, "/carte/cameras.csv?type=ALPR&amp;zone=traffic")

    def test_it_tells_visitors_without_javascript_where_the_data_is(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<noscript>")
        self.assertContains(response, reverse("mapdata:ranking"))

    def test_it_credits_openstreetmap(self):
        self.assertContains(self.client.get(self.url), "© OpenStreetMap contributors (ODbL 1.0)")

    def test_it_draws_on_a_plain_background_without_a_basemap(self):
        self.assertContains(self.client.get(self.url), 'data-tiles-url=""')

    @override_settings(MAP_TILES_URL="http://127.0.0.1:9/{z}/{x}/{y}.png")
    def test_it_points_leaflet_at_the_platform_proxy_when_tiles_are_configured(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'data-tiles-url="/carte/tuiles/0/0/0.png"')
        self.assertNotContains(response, "127.0.0.1:9")

    def test_it_is_in_english_too(self):
        self.assertContains(self.client.get("/en/carte/"), "Camera map")
