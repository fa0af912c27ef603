"""The site's URLs plus the views other branches will bring, so the nav's links can be tested now."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path


def stub(request, *args):
    return HttpResponse("stub")


def app(name: str, *routes) -> tuple:
    return [path(route, stub, name=url_name) for route, url_name in routes], name


urlpatterns = i18n_patterns(
    path("", include("technopolice.pages.urls")),
    path("", include("technopolice.registry.urls")),
    path("carte/", include(app("mapdata", ("", "map")))),
    path("moderation/", include(app("moderation", ("", "queue")))),
    path("comptes/", include(app("accounts", ("connexion/", "login"), ("deconnexion/", "logout")))),
    path("propositions/", include(app("proposals", ("<slug:slug>/", "edit")))),
    prefix_default_language=False,
)
