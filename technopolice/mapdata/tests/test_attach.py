import json
import math
import shutil
import tempfile
from pathlib import Path

from django.core.management.base import CommandError
from django.test import TestCase

from technopolice.registry.tests.factories import CommuneFactory

from ..importers.attach import CommuneLocator, commune_for, reattach_cameras
from ..models import Boundary, Camera
from .importing import MONACO, real_commune, run, snapshot, square


class CentreRuleTests(TestCase):
    """Without contours: the nearest centre, only within that commune's own radius."""

    def test_monaco_cameras_are_not_counted_in_beausoleil(self):
        communes = [real_commune(code) for code in ("06012", "06032", "06104", "06150")]
        run("import_osm", MONACO)
        self.assertEqual(Camera.objects.count(), 10)
        self.assertFalse(Camera.objects.filter(commune__isnull=False).exists())
        beausoleil = communes[0]
        # The rule does attach what lies inside Beausoleil's own disc.
        self.assertEqual(commune_for(beausoleil.latitude + 0.005, beausoleil.longitude), beausoleil)

    def test_the_nearest_centre_wins_among_the_discs_that_reach_the_point(self):
        big = CommuneFactory(insee="42001", name="Grande", latitude=45.0, longitude=4.0, area_km2=300)
        small = CommuneFactory(insee="42002", name="Petite", latitude=45.05, longitude=4.0, area_km2=10)
        near_small, far_from_both = (45.045, 4.0), (45.5, 4.0)
        self.assertEqual(
            CommuneLocator().locate_many([near_small, (45.0, 4.0), far_from_both]), [small.pk, big.pk, None]
        )

    def test_a_large_commune_reaches_points_far_from_its_centre(self):
        # Maripasoula-sized: 18,360 km², a radius of 76 km.
        guyane = CommuneFactory(
            insee="97353", name="Maripasoula", latitude=3.64, longitude=-54.03, area_km2=18360
        )
        self.assertEqual(commune_for(3.64 + 0.6, -54.03 - 0.3), guyane)
        self.assertIsNone(commune_for(3.64 + 0.8, -54.03))

    def test_a_city_with_arrondissements_leaves_its_cameras_to_them(self):
        paris = CommuneFactory(
            insee="75056", name="Paris", latitude=48.8566, longitude=2.3522, area_km2=105.4
        )
        fourth = real_commune("75104")
        fourth.parent = paris
        fourth.save()
        first = real_commune("75101")
        first.parent = paris
        first.save()
        self.assertEqual(commune_for(48.8545, 2.3570), fourth)  # within its own disc
        # Between the arrondissements' discs, inside the city's: the nearest arrondissement.
        self.assertEqual(commune_for(48.858, 2.346), first)
        self.assertEqual(commune_for(48.845, 2.360), fourth)
        self.assertIsNone(commune_for(48.80, 2.20))  # outside the city's disc


class ContourRuleTests(TestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.town = CommuneFactory(insee="42100", name="Ville", latitude=45.05, longitude=4.05, area_km2=100)
        self.district = CommuneFactory(
            insee="42101", name="Quartier", latitude=45.01, longitude=4.01, area_km2=1
        )
        self.neighbour = CommuneFactory(
            insee="42102", name="Voisine", latitude=45.1, longitude=4.12, area_km2=30
        )

    def write_geojson(self, features: list[dict]) -> Path:
        path = self.folder / "communes.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return path

    def feature(self, code, geometry, key="code") -> dict:
        return {"type": "Feature", "properties": {key: code, "nom": "x"}, "geometry": geometry}

    def test_cameras_attach_by_point_in_polygon_and_move_when_contours_arrive(self):
        camera = Camera.objects.create(
            dataset=self.dataset(), external_id="a", latitude=45.09, longitude=4.09
        )
        inside_neighbour_disc = Camera.objects.filter(pk=camera.pk)
        self.assertEqual(CommuneLocator().locate_many([(45.09, 4.09)]), [self.neighbour.pk])
        path = self.write_geojson(
            [self.feature("42100", square(4.0, 45.0, 0.1)), self.feature("42101", square(4.0, 45.0, 0.02))]
        )
        out = run("import_boundaries", path)
        self.assertIn("2 contours imported, 0 with an INSEE code unknown here, 1 cameras moved", out)
        # The town's contour now holds the point that Voisine's disc used to claim.
        self.assertEqual(inside_neighbour_disc.get().commune, self.town)
        self.assertEqual(commune_for(45.01, 4.01), self.district)  # the smallest nested contour wins
        self.assertIsNone(commune_for(44.99, 4.05))  # in the town's disc, outside its contour
        self.assertEqual(Boundary.objects.get(commune=self.town).max_latitude, 45.1)

    def test_the_insee_property_can_be_named_and_codes_are_normalised(self):
        CommuneFactory(insee="06012", name="Beausoleil", latitude=43.747, longitude=7.42, area_km2=2.8)
        path = self.write_geojson([self.feature(6012, square(7.41, 43.74, 0.02), key="CODGEO")])
        with self.assertRaisesMessage(CommandError, "pass --property, one of: CODGEO, nom"):
            run("import_boundaries", path)
        out = run("import_boundaries", path, insee_property="CODGEO")
        self.assertIn("1 contours imported", out)

    def test_unknown_codes_are_counted_and_bad_files_change_nothing(self):
        out = run("import_boundaries", self.write_geojson([self.feature("99999", square(0, 0, 1))]))
        self.assertIn("0 contours imported, 1 with an INSEE code unknown here", out)
        before = snapshot()
        bad = self.folder / "bad.json"
        bad.write_text('{"type": "Topology"}', encoding="utf-8")
        with self.assertRaisesMessage(CommandError, "is not a GeoJSON FeatureCollection"):
            run("import_boundaries", bad)
        self.assertEqual(snapshot(), before)

    def test_it_reads_osm_administrative_boundaries(self):
        path = self.folder / "boundaries.osm"
        path.write_text(
            """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
 <node id="1" version="1" lat="45.0" lon="4.0"/><node id="2" version="1" lat="45.0" lon="4.1"/>
 <node id="3" version="1" lat="45.1" lon="4.1"/><node id="4" version="1" lat="45.1" lon="4.0"/>
 <way id="10" version="1"><nd ref="1"/><nd ref="2"/><nd ref="3"/></way>
 <way id="11" version="1"><nd ref="3"/><nd ref="4"/><nd ref="1"/></way>
 <relation id="100" version="1">
  <member type="way" ref="10" role="outer"/><member type="way" ref="11" role="outer"/>
  <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="8"/>
  <tag k="ref:INSEE" v="42100"/><tag k="name" v="Ville"/></relation>
 <relation id="101" version="1">
  <member type="way" ref="10" role="outer"/><member type="way" ref="11" role="outer"/>
  <tag k="type" v="boundary"/><tag k="boundary" v="administrative"/><tag k="admin_level" v="6"/>
  <tag k="ref:INSEE" v="42"/></relation>
</osm>""",
            encoding="utf-8",
        )
        out = run("import_boundaries", path)
        self.assertIn("1 contours imported, 0 with an INSEE code unknown here", out)
        self.assertEqual(Boundary.objects.get().commune, self.town)
        self.assertEqual(commune_for(45.09, 4.09), self.town)

    def dataset(self):
        from ..models import CameraDataset

        return CameraDataset.objects.create(slug="osm", kind="osm", name="OpenStreetMap")


class AttachCommandTests(TestCase):
    def test_cameras_imported_before_their_communes_are_attached_afterwards(self):
        run("import_osm", MONACO)
        self.assertIn("0 cameras moved", run("attach_cameras"))
        # A pretend commune over Monaco, its disc wide enough for some cameras and not others.
        monaco = CommuneFactory(insee="99138", name="Monaco", latitude=43.7384, longitude=7.4246, area_km2=6)
        radius = math.sqrt(6 / math.pi)
        inside = {c.pk for c in Camera.objects.all() if haversine_km(c, monaco) <= radius}
        self.assertTrue(0 < len(inside) < 10)
        self.assertIn(f"{len(inside)} cameras moved", run("attach_cameras"))
        self.assertEqual(set(Camera.objects.filter(commune=monaco).values_list("pk", flat=True)), inside)
        monaco.delete()  # SET_NULL; small pages walk every camera again
        self.assertEqual(reattach_cameras(batch=3), 0)
        CommuneFactory(insee="99138", name="Monaco", latitude=43.7384, longitude=7.4246, area_km2=6)
        self.assertEqual(reattach_cameras(batch=3), len(inside))


def haversine_km(a, b) -> float:
    """Great-circle distance, independent of the importer's own approximation."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
