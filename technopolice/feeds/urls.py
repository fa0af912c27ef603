from django.urls import path

from . import views

app_name = "feeds"
urlpatterns = [
    path("site.atom", views.site, name="site"),
    path("commune/<slug:slug>.atom", views.commune, name="commune"),
    path("departement/<slug:slug>.atom", views.department, name="department"),
    path("region/<slug:slug>.atom", views.region, name="region"),
    path("technologie/<slug:slug>.atom", views.technology, name="technology"),
    path("organisation/<slug:slug>.atom", views.organisation, name="organisation"),
    path("dossier/<slug:slug>.atom", views.dossier, name="dossier"),
    path("collectif/<slug:slug>.atom", views.collective, name="collective"),
]
