"""Benchmark the clustered map endpoint at a million cameras; prints figures.

    .venv/bin/python bench/map_clusters.py                       # 1,000,000 cameras, SQLite + PostgreSQL
    .venv/bin/python bench/map_clusters.py --size 100000 --databases sqlite --viewports 10

Cameras are spread like real ones: around commune centres (communes.csv), in proportion
to population, within each commune's radius. For every zoom from 3 to 18, random
viewports of 1280x800 screen pixels centred on a camera are asked of:
  - the platform's clustered endpoint (the view function, JSON included);
  - the naive query (every camera in the viewport, as JSON), on fewer viewports at low
    zooms, where each costs seconds;
  - supercluster (npm), run with node on the same points and viewports;
  - with --sql-paths, the SQL path alone as the view runs it when the index cannot answer:
    from the precomputed cells (live above their last zoom), and grouped live at every zoom
    (the path of stale cells and of the operator filter), on fewer viewports at low zooms.
Each database is filled once (kept in var/bench/ or the tp_mapview_bench database, and
reused while --size matches); the import and the cluster-cell rebuild times are printed,
and the in-memory index's build time, size on disk, and the memory (RSS) of a fresh
process that opens it and answers every viewport.
"""

import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = Path(os.environ.get("COMMUNES_CSV", ROOT / "samples" / "communes" / "communes.csv"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tp_mapview_bench")
ZOOMS = range(3, 19)
SCREEN = (1280, 800)
NAIVE_LOW_ZOOM_VIEWPORTS = 3  # below zoom 9 the naive query returns most of France: a few runs suffice


def communes() -> list[tuple[float, float, int, float]]:
    """(lat, lon, population, radius_km) per commune; the file has one row per postal code."""
    seen = {}
    with COMMUNES.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["commune_type"] not in ("COM", "ARM") or row["insee_com"] in seen:
                continue
            try:
                lat, lon, pop = float(row["lat"]), float(row["lng"]), int(float(row["population_2021"] or 0))
                area = float(row["superficie_km2"] or 1)
            except ValueError:
                continue
            if pop > 0:
                seen[row["insee_com"]] = (lat, lon, pop, math.sqrt(max(area, 0.1) / math.pi))
    return list(seen.values())


def points(size: int, seed: int = 1) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    places = communes()
    chosen = rng.choices(places, weights=[p[2] for p in places], k=size)
    out = []
    for lat, lon, _pop, radius in chosen:
        spread = radius / 2 / 111.0
        out.append((lat + rng.gauss(0, spread), lon + rng.gauss(0, spread / math.cos(math.radians(lat)))))
    return out


def viewports(pts, per_zoom: int, seed: int = 2) -> list[dict]:
    from technopolice.mapdata import mercator

    rng = random.Random(seed)
    views = []
    for zoom in ZOOMS:
        for _ in range(per_zoom):
            lat, lon = rng.choice(pts)
            x, y = mercator.to_pixels(lat, lon)
            scale = 2 ** (mercator.MAX_ZOOM - zoom)
            half_w, half_h = SCREEN[0] // 2 * scale, SCREEN[1] // 2 * scale
            north, west = mercator.to_lat_lon(max(0, x - half_w), max(0, y - half_h))
            south, east = mercator.to_lat_lon(
                min(mercator.WORLD_PIXELS - 1, x + half_w), min(mercator.WORLD_PIXELS - 1, y + half_h)
            )
            views.append({"zoom": zoom, "bbox": [round(v, 6) for v in (west, south, east, north)]})
    return views


def fill(size: int) -> dict:
    """Make the database hold exactly ``size`` generated cameras; returns the times taken."""
    from django.db import transaction
    from tqdm import tqdm

    from technopolice.mapdata import mercator
    from technopolice.mapdata.clusters import cells
    from technopolice.mapdata.models import Camera, CameraDataset

    if Camera.objects.count() == size:
        if cells.index_token() and not os.environ.get("BENCH_REBUILD_CELLS"):
            return {"import_s": None, "cells_s": None, "index": None}
        return {"import_s": None, **rebuild()}
    Camera.objects.all().delete()
    osm, _ = CameraDataset.objects.get_or_create(
        slug="bench-osm", defaults={"kind": "osm", "name": "bench OSM", "licence": "ODbL 1.0"}
    )
    official, _ = CameraDataset.objects.get_or_create(
        slug="bench-official", defaults={"kind": "official", "name": "bench list"}
    )
    rng = random.Random(3)
    started = time.perf_counter()
    batch = []
    for i, (lat, lon) in enumerate(tqdm(points(size), desc="cameras", unit="cam", file=sys.stderr)):
        x, y = mercator.to_pixels(lat, lon)
        batch.append(
            Camera(
                dataset=osm if rng.random() < 0.9 else official,
                external_id=f"node/{i}",
                latitude=lat,
                longitude=lon,
                x=x,
                y=y,
                surveillance_type=rng.choices(["camera", "ALPR", "guard"], [85, 5, 10])[0],
                zone=rng.choice(["town", "traffic", "parking", "shop", ""]),
                directions=[float(rng.randrange(360))] if rng.random() < 0.3 else [],
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Camera.objects.bulk_create(batch)
            batch = []
    Camera.objects.bulk_create(batch)
    return {"import_s": time.perf_counter() - started, **rebuild()}


def rebuild() -> dict:
    """Cluster cells and in-memory index; the index's own figures are told apart."""
    from technopolice.mapdata.clusters import cells

    started = time.perf_counter()
    cells.rebuild()
    return {"cells_s": time.perf_counter() - started, "index": dict(cells.last_index)}


def time_endpoint(views: list[dict]) -> dict:
    from django.test import RequestFactory

    from technopolice.mapdata.views.api import cluster_view

    factory, results = RequestFactory(), {}
    for view in views:
        request = factory.get(
            "/carte/clusters.json", {"bbox": ",".join(map(str, view["bbox"])), "zoom": view["zoom"]}
        )
        started = time.perf_counter()
        response = cluster_view(request)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.content[:300]
        results.setdefault(view["zoom"], []).append((elapsed, len(response.content)))
    return results


def time_index(views: list[dict]) -> dict:
    """The in-memory index alone: lookup and JSON body, as supercluster is timed."""
    from technopolice.mapdata.clusters import cells, common, index

    opened = index.current(cells.index_token())
    if opened is None:
        return {}
    results = {}
    for view in views:
        viewport = common.Viewport.from_bbox(*view["bbox"], zoom=view["zoom"])
        started = time.perf_counter()
        body = opened.answer(viewport)
        results.setdefault(view["zoom"], []).append(((time.perf_counter() - started) * 1000, len(body)))
    return results


def rss_kb() -> dict:
    """Resident memory of this process, split into file pages (shared mappings) and the rest."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def memory(views: list[dict]) -> dict:
    """RSS of this (fresh) process before opening the index and after answering every viewport."""
    before = rss_kb()
    time_index(views)
    return {"before": before, "after": rss_kb()}


def time_naive(views: list[dict]) -> dict:
    from technopolice.mapdata.clusters import common, grouping
    from technopolice.mapdata.models import Camera

    results, done = {}, {}
    for view in views:
        if view["zoom"] < 9 and done.get(view["zoom"], 0) >= NAIVE_LOW_ZOOM_VIEWPORTS:
            continue
        done[view["zoom"]] = done.get(view["zoom"], 0) + 1
        viewport = common.Viewport.from_bbox(*view["bbox"], zoom=view["zoom"])
        started = time.perf_counter()
        rows = grouping.in_viewport(Camera.objects.visible(), viewport).values_list(
            "id", "latitude", "longitude", "surveillance_type", "directions"
        )
        body = json.dumps([list(r) for r in rows])
        results.setdefault(view["zoom"], []).append(((time.perf_counter() - started) * 1000, len(body)))
    return results


def time_sql_paths(views: list[dict]) -> dict:
    """The SQL path without the index: reading the precomputed cells, and grouping live."""
    from technopolice.mapdata.clusters import common, grouping
    from technopolice.mapdata.models import Camera

    unfiltered = {"type": None, "zone": None, "dataset_id": None}
    results, done = {"sql_cells": {}, "sql_live": {}}, {}
    for view in views:
        viewport = common.Viewport.from_bbox(*view["bbox"], zoom=view["zoom"])
        done[view["zoom"]] = done.get(view["zoom"], 0) + 1
        few = view["zoom"] < 9 and done[view["zoom"]] > NAIVE_LOW_ZOOM_VIEWPORTS
        for key, cell_filters in (("sql_cells", unfiltered), ("sql_live", None)):
            if key == "sql_live" and few:
                continue
            started = time.perf_counter()
            body = common.encode(
                {"ok": True, **grouping.cluster(Camera.objects.visible(), viewport, cell_filters)}
            )
            elapsed = (time.perf_counter() - started) * 1000
            results[key].setdefault(view["zoom"], []).append((elapsed, len(body)))
    return results


def setup_django(database: str) -> None:
    sys.path.insert(0, str(ROOT))
    if database == "postgres":
        from technopolice.testing.databases import ensure_database

        ensure_database(PG_URL)
        os.environ["DATABASE_URL"] = PG_URL
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench' / 'map_clusters.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "technopolice.settings")
    import django

    django.setup()


def run_one(database: str, size: int, per_zoom: int) -> None:
    """Child process: one database, printed as JSON for the parent."""
    setup_django(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    times = fill(size)
    views = viewports(points(size), per_zoom)
    # As a served worker does (technopolice.wsgi): gc.freeze() and a higher first threshold.
    # Here it also keeps the collector from walking the benchmark's own million points, which
    # a worker does not hold: full collections over them were 20 ms stalls in the endpoint's p95.
    from technopolice.lib.runtime import settle_after_startup

    settle_after_startup()
    time_endpoint(views[:20])  # warm caches and connections
    naive = {} if os.environ.get("BENCH_SKIP_NAIVE") else time_naive(views)
    endpoint, index = time_endpoint(views), time_index(views)
    times["peak_rss_kb"] = rss_kb()["VmHWM"]
    sql = time_sql_paths(views) if os.environ.get("BENCH_SQL_PATHS") else {}
    print(json.dumps({"times": times, "endpoint": endpoint, "index": index, "naive": naive, **sql}))


def run_memory(database: str, size: int, per_zoom: int) -> None:
    """Child process: the memory a worker spends on the index it opens (nothing built here)."""
    setup_django(database)
    views = viewports(points(size), per_zoom)
    print(json.dumps(memory(views)))


def run_supercluster(size: int, per_zoom: int) -> dict | None:
    sys.path.insert(0, str(ROOT))
    from technopolice.mapdata import mercator  # noqa: F401 (pure module, no Django needed)

    pts = points(size)
    job = {"points": [c for p in pts for c in p], "viewports": viewports(pts, per_zoom)}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(job, handle)
    try:
        result = subprocess.run(
            ["node", str(ROOT / "bench" / "supercluster_bench.mjs"), handle.name],  # noqa: S607 (node from PATH)
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"supercluster skipped: {error}", file=sys.stderr)
        return None
    finally:
        os.unlink(handle.name)
    return json.loads(result.stdout)


def stats(samples) -> str:
    if not samples:
        return f"{'-':>28}"
    ms = sorted(s[0] for s in samples)
    p95 = ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]
    kb = max(s[1] for s in samples) / 1024
    return f"{statistics.median(ms):7.2f} {p95:7.2f} {ms[-1]:7.1f} {kb:6.0f}KB"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="number of cameras (default 1,000,000)")
    parser.add_argument("--viewports", type=int, default=30, help="random viewports per zoom (default 30)")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--no-supercluster", action="store_true")
    parser.add_argument(
        "--skip-naive", action="store_true", help="do not time the naive query (it takes minutes)"
    )
    parser.add_argument(
        "--rebuild-cells", action="store_true", help="rebuild the cluster cells of a reused database"
    )
    parser.add_argument(
        "--sql-paths",
        action="store_true",
        help="also time the SQL path alone: precomputed cells, live grouping",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.child, args.size, args.viewports)
        return 0
    if args.memory_child:
        run_memory(args.memory_child, args.size, args.viewports)
        return 0
    if args.skip_naive:
        os.environ["BENCH_SKIP_NAIVE"] = "1"
    if args.sql_paths:
        os.environ["BENCH_SQL_PATHS"] = "1"
    if args.rebuild_cells:
        os.environ["BENCH_REBUILD_CELLS"] = "1"
    results = {}
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        for flag, key in (("--child", "run"), ("--memory-child", "memory")):
            command = [
                sys.executable,
                __file__,
                flag,
                database,
                "--size",
                str(args.size),
                "--viewports",
                str(args.viewports),
            ]
            child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            if child.returncode:
                print(f"{database}: the benchmark failed (exit {child.returncode})", file=sys.stderr)
                return 1
            results.setdefault(database, {})[key] = json.loads(child.stdout.strip().splitlines()[-1])
    sc = None if args.no_supercluster else run_supercluster(args.size, args.viewports)
    report(args, results, sc)
    return 0


def report(args, results: dict, sc: dict | None) -> None:
    print(
        f"\n{args.size:,} cameras, {args.viewports} viewports of {SCREEN[0]}x{SCREEN[1]} px per zoom "
        f"(naive: {NAIVE_LOW_ZOOM_VIEWPORTS} below zoom 9). Columns: p50 p95 max (ms), largest response."
    )
    for database, result in results.items():
        print(f"{database}: {describe(args.size, result['run']['times'], result['memory'])}")
    if sc:
        print(f"supercluster: index built in {sc['load_ms'] / 1000:.1f} s (node, in memory)")
    print(
        "Compared: 'endpoint' (full server time: view function, version check, JSON) with the 20 ms\n"
        "target; 'index' (in-memory lookup + JSON body) with 'supercluster' (getClusters +\n"
        "JSON.stringify); the last columns are index / supercluster at p50 and at p95, per database\n"
        "(the issue's target: at most 2)."
    )
    keys = ("endpoint", "index", "naive", *(("sql_cells", "sql_live") if args.sql_paths else ()))
    columns = [(f"{d} {key}", d, key) for key in keys for d in results]
    header = "zoom " + "".join(f"| {name:^28} " for name, _d, _k in columns)
    print(header + (f"| {'supercluster':^28} | index/sc p50 p95" if sc else ""))
    for zoom in ZOOMS:
        z = str(zoom)
        cols = [stats(results[d]["run"][key].get(z)) for _name, d, key in columns]
        if sc:
            cols.append(stats(sc["results"].get(z)))
            cols.append(ratios(results, sc, z))
        print(f"{zoom:>4} " + "".join(f"| {c} " for c in cols))


def describe(size: int, t: dict, mem: dict) -> str:
    inserted = "reused its cameras"
    if t["import_s"]:
        inserted = f"inserted {size:,} cameras in {t['import_s']:.1f} s"
    if not t["cells_s"]:
        built = "reused its cluster cells and index"
    else:
        index = t["index"]
        built = (
            f"cluster cells and index rebuilt in {t['cells_s']:.1f} s, of which the in-memory index "
            f"{index['seconds']:.1f} s ({index['bytes'] / 2**20:.0f} MB on disk)"
        )
    mb = {k: f"{mem['before'][k] / 1024:.0f} -> {mem['after'][k] / 1024:.0f} MB" for k in mem["before"]}
    return (
        f"{inserted}, {built}; peak RSS of the benchmark process {t['peak_rss_kb'] / 1024:.0f} MB;\n"
        f"  a fresh process answering every viewport from the index: RSS {mb['VmRSS']} (file-backed, "
        f"shared between workers: {mb['RssFile']}; private: {mb['RssAnon']})"
    )


def ratios(results: dict, sc: dict, zoom: str) -> str:
    """Index p50 and p95 over supercluster's, per database."""

    def p50_p95(samples):
        ms = sorted(s[0] for s in samples)
        return statistics.median(ms), ms[min(len(ms) - 1, math.ceil(0.95 * len(ms)) - 1)]

    theirs = sc["results"].get(zoom)
    mine = [r["run"]["index"].get(zoom) for r in results.values()]
    cells = []
    for samples in mine:
        if samples and theirs:
            (a50, a95), (b50, b95) = p50_p95(samples), p50_p95(theirs)
            cells.append(f"{a50 / max(b50, 1e-3):5.1f}x {a95 / max(b95, 1e-3):5.1f}x")
        else:
            cells.append("   -      -  ")
    return " | ".join(cells)


if __name__ == "__main__":
    sys.exit(main())
