"""The tile proxy against a fake upstream on loopback: what it forwards, caches and refuses."""

import http.server
import sqlite3
import tempfile
import threading

from django.test import override_settings
from django.urls import reverse

from technopolice.testing.cases import BaseTestCase

PNG_TILE = b"\x89PNG\r\n\x1a\n" + b"fake tile body"


class FakeUpstream(http.server.BaseHTTPRequestHandler):
    """Records every request it gets; answers a PNG, or HTML for /bad/ paths."""

    seen: list[dict] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        FakeUpstream.seen.append({"path": self.path, "headers": dict(self.headers)})
        body, kind = (
            (b"<html>nope</html>", "text/html") if self.path.startswith("/bad/") else (PNG_TILE, "image/png")
        )
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class TileProxyTests(BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeUpstream)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.upstream = f"http://127.0.0.1:{cls.server.server_address[1]}"

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        FakeUpstream.seen = []
        self.data_dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.data_dir.cleanup)
        settings = override_settings(
            DATA_DIR=self.data_dir.name, MAP_TILES_URL=self.upstream + "/{z}/{x}/{y}.png"
        )
        settings.enable()
        self.addCleanup(settings.disable)

    def get_tile(self, z, x, y, **headers):
        return self.client.get(reverse("mapdata:tile", args=[z, x, y]), **headers)

    def test_it_fetches_once_then_serves_from_the_disk_cache(self):
        first = self.get_tile(12, 2100, 1500)
        self.assertEqual(
            (first.status_code, first["Content-Type"], first.content), (200, "image/png", PNG_TILE)
        )
        self.assertIn("max-age", first["Cache-Control"])
        self.assertEqual(self.get_tile(12, 2100, 1500).content, PNG_TILE)
        self.assertEqual([r["path"] for r in FakeUpstream.seen], ["/12/2100/1500.png"])

    def test_it_forwards_nothing_of_the_visitor(self):
        self.client.cookies["sessionid"] = "secret-session"
        self.get_tile(
            3,
            4,
            2,
            HTTP_REFERER="http://127.0.0.1/carte/?lat=1",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            HTTP_ACCEPT_LANGUAGE="fr",
            HTTP_USER_AGENT="Visitor Browser 1.0",
        )
        headers = {k.lower(): v for k, v in FakeUpstream.seen[0]["headers"].items()}
        self.assertNotIn("cookie", headers)
        self.assertNotIn("referer", headers)
        self.assertNotIn("x-forwarded-for", headers)
        self.assertNotIn("accept-language", headers)
        self.assertIn("Technopolice", headers["user-agent"])
        self.assertNotIn("Visitor", str(headers))

    def test_it_refuses_tiles_outside_the_pyramid_without_asking_upstream(self):
        for z, x, y in ((3, 8, 0), (3, 0, 8), (25, 0, 0)):
            with self.subTest(tile=(z, x, y)):
                self.assertEqual(self.get_tile(z, x, y).status_code, 404)
        self.assertEqual(FakeUpstream.seen, [])

    def test_it_neither_serves_nor_caches_what_is_not_a_png(self):
        with override_settings(MAP_TILES_URL=self.upstream + "/bad/{z}/{x}/{y}.png"):
            self.assertEqual(self.get_tile(1, 0, 0).status_code, 404)
        self.assertEqual(self.get_tile(1, 0, 0).content, PNG_TILE)  # nothing bad was cached

    def test_an_unreachable_upstream_is_a_404_not_a_500(self):
        with override_settings(MAP_TILES_URL="http://127.0.0.1:9/{z}/{x}/{y}.png"):
            self.assertEqual(self.get_tile(1, 0, 0).status_code, 404)

    def test_without_a_basemap_there_is_no_tile(self):
        with override_settings(MAP_TILES_URL=""):
            self.assertEqual(self.get_tile(0, 0, 0).status_code, 404)
        self.assertEqual(FakeUpstream.seen, [])

    def test_it_refuses_other_methods(self):
        self.assertEqual(self.client.post(reverse("mapdata:tile", args=[0, 0, 0])).status_code, 405)


class MBTilesTests(BaseTestCase):
    def setUp(self):
        super().setUp()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.path = f"{folder.name}/basemap.mbtiles"
        with sqlite3.connect(self.path) as db:
            db.execute(
                "CREATE TABLE tiles"
                " (zoom_level integer, tile_column integer, tile_row integer, tile_data blob)"
            )
            # z=2, x=1, y=0 (XYZ, from the north) is row 3 in TMS, counted from the south.
            db.execute("INSERT INTO tiles VALUES (2, 1, 3, ?)", (PNG_TILE,))
        db.close()

    def test_it_serves_tiles_from_the_file_with_y_flipped_and_asks_no_one(self):
        with override_settings(MAP_TILES_FILE=self.path, MAP_TILES_URL="http://127.0.0.1:9/{z}/{x}/{y}.png"):
            self.assertEqual(self.client.get(reverse("mapdata:tile", args=[2, 1, 0])).content, PNG_TILE)
            self.assertEqual(self.client.get(reverse("mapdata:tile", args=[2, 1, 3])).status_code, 404)
            self.assertContains(
                self.client.get(reverse("mapdata:map")), 'data-tiles-url="/carte/tuiles/0/0/0.png"'
            )

    def test_a_missing_or_broken_file_is_a_404(self):
        for path in (self.path + ".missing", __file__):
            with self.subTest(path=path), override_settings(MAP_TILES_FILE=path):
                self.assertEqual(self.client.get(reverse("mapdata:tile", args=[2, 1, 0])).status_code, 404)
