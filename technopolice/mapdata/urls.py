from django.urls import path

from .views import api, pages, propose, tiles

app_name = "mapdata"
urlpatterns = [
    path("", pages.map_page, name="map"),
    path("clusters.json", api.cluster_view, name="clusters"),
    path("cameras/<int:pk>.json", api.camera_detail, name="camera"),
    path("cameras.geojson", api.camera_export, {"fmt": "geojson"}, name="cameras_geojson"),
    path("cameras.json", api.camera_export, {"fmt": "json"}, name="cameras_json"),
    path("cameras.csv", api.camera_export, {"fmt": "csv"}, name="cameras_csv"),
    path("classement/", pages.ranking, name="ranking"),
    path("classement.json", pages.ranking, {"fmt": "json"}, name="ranking_json"),
    path("classement.csv", pages.ranking, {"fmt": "csv"}, name="ranking_csv"),
    path("proposer/", propose.propose, name="propose"),
    path("propositions/<int:pk>/photo", propose.proposal_photo, name="proposal_photo"),
    path("cameras/<int:pk>/osm.txt", propose.camera_osm_tags, name="camera_osm_tags"),
    path("tuiles/<int:z>/<int:x>/<int:y>.png", tiles.tile, name="tile"),
]
