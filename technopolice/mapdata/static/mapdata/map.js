/* The camera map: asks the platform for the clusters of the visible area, draws them,
   and keeps the view (centre, zoom, filters) in the address so it can be shared.
   Everything comes from the platform itself: clusters, popups and (if configured) tiles. */
(function () {
  "use strict";

  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var labels = JSON.parse(document.getElementById("map-labels").textContent);
  var FILTERS = ["type", "zone", "operator", "dataset"];
  var MAX_SCREEN = 3000; // the server answers at most 3072 screen pixels per side
  var CONE_ZOOM = 15, CONE_METRES = 35, CONE_WIDTH = 60;
  var DEFAULT_VIEW = { lat: 46.6, lon: 2.4, z: 6 };

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = { filters: {} };
    var lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon")), z = parseInt(params.get("z"), 10);
    var valid = isFinite(lat) && isFinite(lon) && isFinite(z) && Math.abs(lat) <= 85 && Math.abs(lon) <= 180;
    state.lat = valid ? lat : DEFAULT_VIEW.lat;
    state.lon = valid ? lon : DEFAULT_VIEW.lon;
    state.z = valid ? Math.max(2, Math.min(19, z)) : DEFAULT_VIEW.z;
    FILTERS.forEach(function (name) { if (params.get(name)) { state.filters[name] = params.get(name); } });
    return state;
  }

  var state = readState();
  var map = L.map(element, { maxZoom: 19, minZoom: 2, worldCopyJump: false, attributionControl: false });
  L.control.attribution({ prefix: false }).addTo(map);
  map.attributionControl.addAttribution(labels.attribution);
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl.replace(/0\/0\/0\.png$/, "{z}/{x}/{y}.png"), {
      maxZoom: 19, attribution: element.dataset.tilesAttribution || ""
    }).addTo(map);
  } else {
    element.classList.add("map-plain");
  }
  var layer = L.layerGroup().addTo(map);
  var pending = null;

  function filterParams() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) { if (state.filters[name]) { params.set(name, state.filters[name]); } });
    return params;
  }

  function writeState() {
    var centre = map.getCenter();
    var params = filterParams();
    params.set("lat", centre.lat.toFixed(5));
    params.set("lon", centre.lng.toFixed(5));
    params.set("z", String(map.getZoom()));
    window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    document.querySelectorAll("[data-export]").forEach(function (link) {
      var query = filterParams().toString();
      link.href = link.href.split("?")[0] + (query ? "?" + query : "");
    });
  }

  function viewBox() {
    // The visible area, trimmed to what the server accepts on very large screens.
    var size = map.getSize(), zoom = map.getZoom();
    var centre = map.project(map.getCenter(), zoom);
    var half = L.point(Math.min(size.x, MAX_SCREEN) / 2, Math.min(size.y, MAX_SCREEN) / 2);
    var nw = map.unproject(centre.subtract(half), zoom), se = map.unproject(centre.add(half), zoom);
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    return [clamp(nw.lng, 180), clamp(se.lat, 85.05), clamp(se.lng, 180), clamp(nw.lat, 85.05)]
      .map(function (v) { return v.toFixed(6); }).join(",");
  }

  function load() {
    writeState();
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var params = filterParams();
    params.set("bbox", viewBox());
    params.set("zoom", String(map.getZoom()));
    fetch(element.dataset.clustersUrl + "?" + params.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(draw)
      .catch(function (error) { if (error.name !== "AbortError") { showStatus(labels.error); } });
  }

  function showStatus(text) {
    var status = document.getElementById("map-status");
    if (status) { status.textContent = text; }
  }

  function draw(body) {
    layer.clearLayers();
    if (!body.ok) { showStatus(body.error.message); return; }
    showStatus("");
    body.clusters.forEach(drawCluster);
    body.cameras.forEach(drawCamera);
    element.dataset.loaded = String(body.clusters.length + body.cameras.length);
  }

  function drawCluster(cluster) {
    var size = cluster.count < 10 ? "s" : cluster.count < 100 ? "m" : cluster.count < 1000 ? "l" : "xl";
    var icon = L.divIcon({
      className: "cluster cluster-" + size,
      html: "<span>" + cluster.count + "</span>",
      iconSize: null
    });
    var marker = L.marker([cluster.lat, cluster.lon], { icon: icon, title: labels.cameras.replace("%(count)s", cluster.count), keyboard: true });
    marker.on("click", function () { zoomInto(cluster); });
    layer.addLayer(marker);
  }

  function zoomInto(cluster) {
    var b = cluster.bounds;
    var bounds = L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
    var target = Math.min(map.getBoundsZoom(bounds), 19);
    map.setView(bounds.getCenter(), Math.max(target, map.getZoom() + 1));
  }

  function drawCamera(camera) {
    if (map.getZoom() >= CONE_ZOOM) {
      camera.directions.forEach(function (direction) {
        layer.addLayer(L.polygon(cone(camera, direction), { className: "camera-cone", interactive: false }));
      });
    }
    var marker = L.circleMarker([camera.lat, camera.lon], {
      radius: 6, className: "camera camera-" + (camera.type || "unknown").replace(/[^a-z0-9_-]/gi, "")
    });
    marker.on("click", function () { openPopup(marker, camera.id); });
    layer.addLayer(marker);
  }

  function cone(camera, direction) {
    // A sector of CONE_WIDTH degrees around the direction, drawn in metres on the ground.
    var points = [[camera.lat, camera.lon]];
    var metresPerDegree = 111320, cos = Math.cos(camera.lat * Math.PI / 180);
    for (var a = direction - CONE_WIDTH / 2; a <= direction + CONE_WIDTH / 2; a += 10) {
      var r = a * Math.PI / 180;
      points.push([camera.lat + CONE_METRES * Math.cos(r) / metresPerDegree,
                   camera.lon + CONE_METRES * Math.sin(r) / (metresPerDegree * cos)]);
    }
    return points;
  }

  function openPopup(marker, id) {
    fetch(element.dataset.cameraUrl.replace(/0\.json$/, id + ".json"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var content = body.ok ? popupContent(body.camera) : document.createTextNode(body.error.message);
        marker.bindPopup(content, { maxWidth: 280 }).openPopup();
      });
  }

  function popupContent(camera) {
    var root = document.createElement("div");
    root.className = "camera-popup";
    var rows = [
      [labels.type, [camera.type, camera.camera_type].filter(Boolean).join(" · ")],
      [labels.zone, camera.zone],
      [labels.operator, camera.operator],
      [labels.direction, camera.directions.length ? camera.directions.map(function (d) { return d + "°"; }).join(", ") : camera.direction_raw],
      [labels.mount, camera.mount],
      [labels.commune, camera.commune],
      [labels.source, camera.dataset.name + (camera.attribution.licence ? " (" + camera.attribution.licence + ")" : "")]
    ];
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0];
      dd.textContent = row[1] || labels.unknown;
      list.appendChild(dt);
      list.appendChild(dd);
    });
    root.appendChild(list);
    if (camera.osm_url) {
      var link = document.createElement("a");
      link.href = camera.osm_url;
      link.rel = "noopener noreferrer";
      link.textContent = labels.osm;
      root.appendChild(link);
    }
    return root;
  }

  var form = document.getElementById("map-filters");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.filters = {};
      new FormData(form).forEach(function (value, name) {
        if (FILTERS.indexOf(name) >= 0 && value) { state.filters[name] = String(value); }
      });
      load();
    });
  }

  // The collectives' layer (collectives:geojson): loaded once, drawn above the cameras in a
  // colour of its own, and switched on or off in Leaflet's layer control.
  function addCollectivesLayer() {
    var url = element.dataset.collectivesUrl;
    if (!url) { return; }
    map.createPane("collectives").style.zIndex = 650;
    var collectives = L.layerGroup().addTo(map);
    var overlays = {};
    overlays[element.dataset.collectivesLabel] = collectives;
    L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        body.features.forEach(function (feature) {
          var point = feature.geometry.coordinates, p = feature.properties;
          var marker = L.circleMarker([point[1], point[0]], {
            pane: "collectives", radius: 9, weight: 3, color: "#1b5e20",
            fillColor: p.dormant ? "#bdbdbd" : "#66bb6a", fillOpacity: 0.9, className: "collective-marker"
          });
          marker.bindPopup(function () { return collectivePopup(p); });
          collectives.addLayer(marker);
        });
        element.dataset.collectivesLoaded = String(body.features.length);
      });
  }

  function collectivePopup(p) {
    var root = document.createElement("div"), link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    root.appendChild(link);
    var place = document.createElement("div");
    place.textContent = p.place + (p.dormant ? " · " + element.dataset.collectivesDormant : "");
    root.appendChild(place);
    return root;
  }

  addCollectivesLayer();
  map.on("moveend", load);
  map.setView([state.lat, state.lon], state.z);
}());
