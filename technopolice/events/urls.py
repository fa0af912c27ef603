from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("passes/", views.event_archive, name="archive"),
    path("nouveau/", views.event_create, name="create"),
    path("calendrier.ics", views.site_feed, name="ical"),
    path("departement/<slug:slug>.ics", views.department_feed, name="ical_department"),
    path("collectif/<slug:slug>.ics", views.collective_feed, name="ical_collective"),
    path("<uuid:uid>/", views.event_detail, name="detail"),
    path("<uuid:uid>.ics", views.event_ical, name="event_ical"),
    path("<uuid:uid>/modifier/", views.event_edit, name="edit"),
    path("<uuid:uid>/annuler/", views.event_cancel, name="cancel"),
]
