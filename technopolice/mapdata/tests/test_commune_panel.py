import re

from django.template import Context, Template
from django.utils import timezone, translation

from technopolice.registry.tests.factories import CommuneFactory
from technopolice.testing.cases import BaseTestCase

from .mapview_helpers import many


def render(commune) -> str:
    with translation.override("en"):
        return Template("{% load mapdata %}{% commune_cameras commune %}").render(
            Context({"commune": commune})
        )


class CommunePanelTests(BaseTestCase):
    def test_it_counts_cameras_with_both_densities_and_draws_them(self):
        commune = CommuneFactory(population=200_000, area_km2=80.0)
        many([(45.43 + i * 0.001, 4.39) for i in range(40)], commune=commune)
        many([(45.43, 4.39)] * 3, commune=commune, removed_at=timezone.now())
        html = render(commune)
        self.assertIn("40 cameras known to the platform", html)
        self.assertIn("0.20 per 1,000 inhabitants", html)
        self.assertIn("0.50 per km²", html)
        circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', html)
        self.assertEqual(len(circles), 40)
        self.assertTrue(all(0 <= float(v) <= 200 for pair in circles for v in pair))
        self.assertIn("/carte/?lat=45.4339&amp;lon=4.3897&amp;z=13", html)

    def test_no_figures_without_population_or_area_and_a_message_without_cameras(self):
        commune = CommuneFactory(insee="42001", name="Nowhere", population=None, area_km2=None)
        html = render(commune)
        self.assertIn("No camera is known", html)
        self.assertNotIn("per km²", html)
        many([(45.0, 4.0)], commune=commune)
        html = render(commune)
        self.assertIn("1 camera known to the platform", html)
        self.assertNotIn("per 1,000", html)

    def test_it_loads_nothing_from_elsewhere_and_has_no_inline_style(self):
        commune = CommuneFactory()
        many([(45.43, 4.39)], commune=commune)
        html = render(commune)
        self.assertNotIn("style=", html)
        self.assertNotRegex(html, r"(src|href)=\"(https?:)?//")
