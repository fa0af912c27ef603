"""Cameras spread like real ones, for benchmarks: clustered around communes, more where more people live.

Not a benchmark itself (bench/run.py skips files starting with "_"): bench/map_import.py uses it.
"""

import math
import random
from collections.abc import Iterator, Sequence

from technopolice.mapdata.importers import CameraRecord
from technopolice.mapdata.importers.tags import camera_fields

TYPES = ["fixed", "dome", "panning", ""]
ZONES = ["town", "traffic", "parking", "shop", ""]


def generate_cameras(
    n: int, communes: Sequence[tuple[float, float, int, float]], seed: int = 1
) -> Iterator[CameraRecord]:
    """``n`` cameras around ``communes`` given as (latitude, longitude, population, area km²).

    A commune is drawn with a probability proportional to its population; the camera lies
    at a normally distributed distance from its centre (sigma: half the commune's radius).
    """
    rng = random.Random(seed)
    weights = [max(population, 1) for _, _, population, _ in communes]
    picks = rng.choices(communes, weights=weights, k=n)
    for number, (lat, lon, _, area) in enumerate(picks):
        sigma_km = max(math.sqrt(max(area, 0.1) / math.pi) / 2, 0.05)
        d_lat = rng.gauss(0, sigma_km) / 111.195
        d_lon = rng.gauss(0, sigma_km) / (111.195 * math.cos(math.radians(lat)))
        tags = {
            "man_made": "surveillance",
            "camera:type": rng.choice(TYPES),
            "surveillance:zone": rng.choice(ZONES),
        }
        tags = {k: v for k, v in tags.items() if v}
        yield CameraRecord(
            f"node/{number + 1}", round(lat + d_lat, 7), round(lon + d_lon, 7), tags, camera_fields(tags)
        )


def real_communes(path) -> list[tuple[float, float, int, float]]:
    """(lat, lon, population, area) of every commune of the gazetteer CSV, one row per INSEE code."""
    import csv

    seen, communes = set(), []
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["insee_com"] in seen or not row["lat"] or row["commune_type"] == "COMD":
                continue
            seen.add(row["insee_com"])
            communes.append(
                (
                    float(row["lat"]),
                    float(row["lng"]),
                    int(row["population_2021"] or 0),
                    float(row["superficie_km2"] or 1),
                )
            )
    return communes
