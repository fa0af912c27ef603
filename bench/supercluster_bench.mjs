// The in-memory clustering browsers use (supercluster), timed on the same points and
// viewports as bench/map_clusters.py. Reads a JSON job file, prints JSON results.
import { readFileSync } from "node:fs";
import Supercluster from "supercluster";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const features = [];
for (let i = 0; i < job.points.length; i += 2) {
  features.push({ type: "Feature", properties: { id: i / 2 }, geometry: { type: "Point", coordinates: [job.points[i + 1], job.points[i]] } });
}
// 64 px cells on 256 px tiles, like the platform's grid; clusters up to zoom 16 as ours.
const index = new Supercluster({ radius: 64, extent: 256, maxZoom: 16, minPoints: 2 });
let started = process.hrtime.bigint();
index.load(features);
const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
const results = {};
for (const view of job.viewports) {
  started = process.hrtime.bigint();
  const clusters = index.getClusters(view.bbox, view.zoom);
  const body = JSON.stringify(clusters);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  (results[view.zoom] = results[view.zoom] || []).push([ms, body.length]);
}
process.stdout.write(JSON.stringify({ load_ms: loadMs, results }));
