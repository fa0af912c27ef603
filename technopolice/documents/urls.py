from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("documents.<str:fmt>", views.document_list_twin, name="list_twin"),
    path("envoyer/", views.upload, name="upload"),
    path("deposer-anonymement/", views.leak, name="leak"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/fichier/", views.file, name="file"),
]
