from django.urls import path
from django.views.generic import RedirectView

from . import account_views, views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("inscription/", views.signup, name="signup"),
    path("compte/", account_views.account, name="account"),
    path("compte/adresse/", account_views.email_change, name="email_change"),
    path("compte/adresse/<str:token>/", account_views.email_confirm, name="email_confirm"),
    path("compte/mot-de-passe/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path("compte/supprimer/", account_views.delete, name="delete"),
    path("deux-facteurs/", account_views.second_factor_setup, name="second_factor_setup"),
    path("deux-facteurs/verifier/", account_views.second_factor_verify, name="second_factor_verify"),
    path("deux-facteurs/codes/", account_views.recovery_codes, name="recovery_codes"),
    path("deux-facteurs/desactiver/", account_views.second_factor_remove, name="second_factor_remove"),
    path("mot-de-passe-oublie/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/fait/",
        account_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # Where "my proposals" was before it moved to moderation: old bookmarks still arrive.
    path("mes-propositions/", RedirectView.as_view(pattern_name="moderation:mine", permanent=True)),
]
