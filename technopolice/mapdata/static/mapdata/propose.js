/* The camera proposal form: click the map to fill in the position. Without JavaScript the
   latitude and longitude fields are typed in directly; with it they stay editable. */
(function () {
  "use strict";

  var element = document.getElementById("propose-map");
  var lat = document.getElementById("id_latitude"), lon = document.getElementById("id_longitude");
  if (!element || !window.L || !lat || !lon) { return; }
  element.hidden = false;
  var map = L.map(element, { maxZoom: 19, attributionControl: false });
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl.replace(/0\/0\/0\.png$/, "{z}/{x}/{y}.png"), { maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("map-plain");
  }
  var marker = null;

  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, { radius: 8, className: "camera" }).addTo(map); }
  }

  map.on("click", function (event) {
    lat.value = event.latlng.lat.toFixed(6);
    lon.value = event.latlng.lng.toFixed(6);
    place(event.latlng);
  });
  function typed() {
    // L.latLng throws on NaN: only build one from two real numbers.
    var a = parseFloat(lat.value), b = parseFloat(lon.value);
    return isFinite(a) && isFinite(b) ? L.latLng(a, b) : null;
  }

  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var point = typed();
      if (point) { place(point); map.panTo(point); }
    });
  });
  var start = typed();
  if (start) { map.setView(start, 17); place(start); } else { map.setView([46.6, 2.4], 6); }
}());
