from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    # Where "my proposals" was before it moved to moderation: old bookmarks still arrive.
    path("mes-propositions/", RedirectView.as_view(pattern_name="moderation:mine", permanent=True)),
]
