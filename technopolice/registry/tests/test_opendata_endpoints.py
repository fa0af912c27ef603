"""Invariants over every list of the registry: one envelope, one error shape, twins for each page."""

import csv
import io

from django.urls import get_resolver, reverse

from technopolice.testing.cases import BaseTestCase

from .world import build_world

ENVELOPE = {"ok", "count", "next", "attribution", "rows"}


def twin_names() -> list[str]:
    """Every registry URL name with twins (registered by urls.with_twins as NAME and NAME_data)."""
    names = get_resolver().namespace_dict["registry"][1].reverse_dict.keys()
    return sorted(n[: -len("_data")] for n in names if isinstance(n, str) and n.endswith("_data"))


class EveryListTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_world(cls)

    def test_the_registry_has_the_expected_lists(self):
        self.assertEqual(
            twin_names(), ["ageing", "dossier_list", "organisation_list", "outcomes", "technology_list"]
        )

    def test_every_list_answers_json_in_the_envelope(self):
        for name in twin_names():
            with self.subTest(name=name):
                body = self.client.get(reverse(f"registry:{name}_data", args=["json"])).json()
                self.assertEqual(set(body), ENVELOPE)
                self.assertIs(body["ok"], True)
                self.assertEqual(body["count"], len(body["rows"]))
                self.assertTrue(body["attribution"][0]["licence"])

    def test_every_list_answers_csv_with_a_header(self):
        for name in twin_names():
            with self.subTest(name=name):
                response = self.client.get(reverse(f"registry:{name}_data", args=["csv"]))
                self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
                header = next(csv.reader(io.StringIO(response.content.decode())))
                self.assertTrue(header)

    def test_every_list_gives_the_error_shape_for_bad_pages(self):
        for name in twin_names():
            for params, status in (({"page": "999"}, 404), ({"_size": "0"}, 400), ({"_size": "x"}, 400)):
                with self.subTest(name=name, params=params):
                    response = self.client.get(reverse(f"registry:{name}_data", args=["json"]), params)
                    self.assertEqual(response.status_code, status)
                    body = response.json()
                    self.assertEqual(set(body), {"ok", "error"})
                    self.assertEqual((body["ok"], body["error"]["status"]), (False, status))
                    self.assertTrue(body["error"]["message"])
                    html = self.client.get(reverse(f"registry:{name}"), params)
                    self.assertContains(html, body["error"]["message"], status_code=status)

    def test_every_html_list_links_to_its_twins(self):
        for name in twin_names():
            with self.subTest(name=name):
                response = self.client.get(reverse(f"registry:{name}"), {"page": "1"})
                self.assertContains(response, reverse(f"registry:{name}_data", args=["json"]) + "?page=1")
