"""The URL map: only includes, one per app. Pages are in French at / and English at /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from technopolice.accounts.views import admin_login

# The admin's login page guards the staff accounts: its failed attempts are throttled like the site's.
admin.site.login = admin_login

urlpatterns = i18n_patterns(
    path("", include("technopolice.pages.urls")),
    path("", include("technopolice.registry.urls")),
    path("carte/", include("technopolice.mapdata.urls")),
    path("documents/", include("technopolice.documents.urls")),
    path("recherche/", include("technopolice.search.urls")),
    path("plaintes/", include("technopolice.complaints.urls")),
    path("collectifs/", include("technopolice.collectives.urls")),
    path("evenements/", include("technopolice.events.urls")),
    path("flux/", include("technopolice.feeds.urls")),
    path("discussion/", include("technopolice.discussion.urls")),
    path("moderation/", include("technopolice.moderation.urls")),
    path("comptes/", include("technopolice.accounts.urls")),
    path("suivre/", include("technopolice.following.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
