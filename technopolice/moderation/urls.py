from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("propositions/<int:pk>/", views.proposal_detail, name="proposal"),
    path("propositions/<int:pk>/accepter/", views.accept, name="accept"),
    path("propositions/<int:pk>/refuser/", views.reject, name="reject"),
    path("suivi/<str:token>/", views.follow, name="follow"),
    path("mes-propositions/", views.mine, name="mine"),
]
