"""The map's collectives layer in a real headless chromium: drawn, switched off and on, and its
popup leading to the collective's page."""

from playwright.sync_api import expect

from technopolice.testing.browser import BrowserTestCase

from .world import build_collectives


class MapLayerBrowserTests(BrowserTestCase):
    context_options = {"viewport": {"width": 1000, "height": 700}}

    def setUp(self):
        super().setUp()
        build_collectives(self)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

    def test_the_layer_shows_collectives_and_leads_to_their_page(self):
        # In English: the layer control is found by its label.
        self.page.goto(self.live_server_url + "/en/carte/?lat=43.7034&lon=7.2663&z=11")
        markers = self.page.locator("path.collective-marker")
        expect(markers).to_have_count(6)  # one per place named (5 communes, 1 department), none pending
        toggle = self.page.get_by_label("Collectives")
        toggle.uncheck()
        expect(markers).to_have_count(0)
        toggle.check()
        expect(markers).to_have_count(6)
        nice = self.page.locator(".leaflet-collectives-pane path.collective-marker")
        # Nice's own marker: the one nearest the centre of the view at zoom 11.
        box = self.page.locator("#map").bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        nearest = min(range(nice.count()), key=lambda i: _distance(nice.nth(i).bounding_box(), centre))
        nice.nth(nearest).click(force=True)
        link = self.page.locator(".leaflet-popup-content a")
        expect(link).to_have_text("Technopolice Nice")
        link.click()
        self.page.wait_for_url("**/en/collectifs/technopolice-nice/")
        self.assert_no_foreign_requests(inline=True)
        self.assertEqual(self.errors, [])


def _distance(box, point) -> float:
    return (box["x"] + box["width"] / 2 - point[0]) ** 2 + (box["y"] + box["height"] / 2 - point[1]) ** 2
