import csv
import datetime
import io
import json

from django.test import RequestFactory, SimpleTestCase

from technopolice.lib import opendata

ROWS = [{"name": "Nice", "since": datetime.date(2021, 3, 1)}, {"name": "Saint-Étienne", "since": None}]
COLUMNS = [opendata.Column("name", lambda r: r["name"]), opendata.Column("since", lambda r: r["since"])]
OSM = opendata.Attribution("© OpenStreetMap contributors", "ODbL 1.0")


def table():
    return opendata.Table("cameras", COLUMNS, ROWS, count=2, attribution=[OSM])


class OpendataTests(SimpleTestCase):
    def test_it_wraps_json_rows_in_the_envelope(self):
        body = json.loads(opendata.respond(table(), "json").content)
        self.assertEqual(body["ok"], True)
        self.assertEqual(body["count"], 2)
        self.assertEqual(body["rows"][0], {"name": "Nice", "since": "2021-03-01"})
        self.assertEqual(body["attribution"][0]["licence"], "ODbL 1.0")

    def test_it_writes_the_same_rows_as_csv_with_attribution(self):
        response = opendata.respond(table(), "csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        self.assertEqual([r["name"] for r in rows], ["Nice", "Saint-Étienne"])
        self.assertIn("OpenStreetMap", response["X-Attribution"])

    def test_it_writes_lists_as_readable_csv_cells(self):
        columns = [opendata.Column("communes", lambda r: r)]
        response = opendata.respond(opendata.Table("d", columns, [["Nice", "Saint-Étienne"], []], 2), "csv")
        self.assertEqual(response.content.decode().splitlines(), ["communes", "Nice; Saint-Étienne", '""'])

    def test_it_refuses_an_unknown_format_with_the_error_shape(self):
        response = opendata.respond(table(), "xml")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(json.loads(response.content)["ok"], False)

    def test_it_keeps_filters_in_page_urls(self):
        request = RequestFactory().get("/dossiers/", {"technology": "drones", "page": "1"})
        self.assertEqual(opendata.page_url(request, 2), "/dossiers/?technology=drones&page=2")

    def test_it_refuses_a_page_past_the_end(self):
        request = RequestFactory().get("/dossiers/", {"page": "9"})
        with self.assertRaises(opendata.BadRequest) as raised:
            opendata.paginate(request, list(range(5)), per_page=2)
        self.assertEqual(raised.exception.status, 404)

    def test_it_refuses_a_silly_page_size(self):
        request = RequestFactory().get("/dossiers/", {"_size": "-3"})
        with self.assertRaises(opendata.BadRequest):
            opendata.paginate(request, list(range(5)), per_page=2)
