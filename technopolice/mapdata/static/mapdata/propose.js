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
  [lat, lon].forEach(function (input) {
    input.addEventListener("change", function () {
      var point = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      if (isFinite(point.lat) && isFinite(point.lng)) { place(point); map.panTo(point); }
    });
  });
  var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
  if (isFinite(start.lat) && isFinite(start.lng)) { map.setView(start, 17); place(start); } else { map.setView([46.6, 2.4], 6); }
}());
