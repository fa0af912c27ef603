from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("commenter/", views.post, name="post"),
    path("commentaire/<int:pk>/", views.permalink, name="permalink"),
    path("commentaire/<int:pk>/repondre/", views.reply, name="reply"),
    path("commentaire/<int:pk>/modifier/", views.edit, name="edit"),
    path("commentaire/<int:pk>/supprimer/", views.delete, name="delete"),
    path("commentaire/<int:pk>/signaler/", views.flag, name="flag"),
    path("signalements/", views.flag_queue, name="flags"),
    path("signalements/<int:pk>/", views.decide, name="decide"),
    path("commune/<slug:slug>/", views.commune, name="commune"),
]
