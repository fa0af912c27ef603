from django.urls import path

from technopolice.registry.urls import FormatConverter  # noqa: F401 (registers <fmt:>, json or csv)

from .views import directory, manage, map_layer, relay

app_name = "collectives"

urlpatterns = [
    # The directory and its twins (collectifs.json, .csv, as documents/documents.json), the map layer.
    path("", directory.directory, name="list"),
    path("collectifs.<fmt:fmt>", directory.directory, name="list_data"),
    path("carte.geojson", map_layer.collectives_geojson, name="geojson"),
    # Creating and running a collective (views.manage). First: "nouveau" and "mes-collectifs"
    # are not slugs (actions.RESERVED_SLUGS).
    path("nouveau/", manage.create, name="create"),
    path("mes-collectifs/", manage.mine, name="mine"),
    path("<slug:slug>/modifier/", manage.edit, name="edit"),
    path("<slug:slug>/rejoindre/", manage.join, name="join"),
    path("<slug:slug>/quitter/", manage.leave, name="leave"),
    path("<slug:slug>/membres/", manage.members, name="members"),
    path("<slug:slug>/membres/ne-plus-organiser/", manage.step_down, name="step_down"),
    path("<slug:slug>/membres/<int:pk>/<str:verb>/", manage.member_action, name="member_action"),
    path("<slug:slug>/ecrire/", relay.contact, name="contact"),
    path("<slug:slug>/ecrire/envoye/", relay.contact_sent, name="contact_sent"),
    # A collective's public page and logo: last, after the pages whose first segment is a word.
    path("<slug:slug>/", directory.collective_detail, name="detail"),
    path("<slug:slug>/logo/", directory.collective_logo, name="logo"),
]
