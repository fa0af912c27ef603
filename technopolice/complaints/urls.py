from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("<slug:slug>/", views.campaign, name="campaign"),
    path("<slug:slug>/merci/", views.thanks, name="thanks"),
    path("<slug:slug>/export/", views.export, name="export"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("retirer/<str:token>/", views.withdraw, name="withdraw"),
    path("pas-moi/<str:token>/", views.not_me, name="not_me"),
]
