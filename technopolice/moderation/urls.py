from django.urls import path

from . import held_views, views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal"),
    path("propositions/<int:pk>/accepter/", views.accept, name="accept"),
    path("propositions/<int:pk>/refuser/", views.reject, name="reject"),
    path("suivi/<str:token>/", views.follow, name="follow"),
    path("mes-propositions/", views.mine, name="mine"),
    path("courrier/", held_views.held_list, name="held_list"),
    path("courrier/<int:pk>/", held_views.held_detail, name="held_detail"),
    path("courrier/<int:pk>/supprimer/", held_views.held_discard, name="held_discard"),
]
