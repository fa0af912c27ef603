from django.urls import path

from . import views

app_name = "following"
urlpatterns = [
    path("", views.follow, name="follow"),
    path("arreter/", views.unfollow, name="unfollow"),
    path("mes-suivis/", views.mine, name="mine"),
    path("frequence/", views.frequency, name="frequency"),
    path("desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
