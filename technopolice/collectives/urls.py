from django.urls import path

from technopolice.registry.urls import FormatConverter  # noqa: F401 (registers <fmt:>, json or csv)

from .views import directory, map_layer

app_name = "collectives"

urlpatterns = [
    # The directory and its twins (collectifs.json, .csv, as documents/documents.json), the map layer.
    path("", directory.directory, name="list"),
    path("collectifs.<fmt:fmt>", directory.directory, name="list_data"),
    path("carte.geojson", map_layer.collectives_geojson, name="geojson"),
    # A collective's public page and logo: last, after the pages whose first segment is a word.
    path("<slug:slug>/", directory.collective_detail, name="detail"),
    path("<slug:slug>/logo/", directory.collective_logo, name="logo"),
]
