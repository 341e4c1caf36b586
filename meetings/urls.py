from django.urls import path

from meetings import calendar_views, delete_views, views

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/add/", views.meeting_create, name="meeting_create"),
    path("meetings/calendar.ics", calendar_views.meeting_calendar, name="meeting_calendar"),
    path("meetings/calendar/", calendar_views.calendar_subscribe, name="calendar_subscribe"),
    path(
        "meetings/calendar/<str:token>.ics",
        calendar_views.meeting_calendar_feed,
        name="meeting_calendar_feed",
    ),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_update, name="meeting_update"),
    path("meetings/<int:pk>/delete/", delete_views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/items/add/", views.agenda_item_create, name="agenda_item_create"),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/edit/",
        views.agenda_item_update,
        name="agenda_item_update",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/delete/",
        delete_views.agenda_item_delete,
        name="agenda_item_delete",
    ),
    path(
        "meetings/<int:pk>/items/<int:item_pk>/paper/",
        views.agenda_item_paper,
        name="agenda_item_paper",
    ),
    path("meetings/<int:pk>/resolutions/add/", views.resolution_create, name="resolution_create"),
    path("meetings/<int:pk>/resolutions/paste/", views.resolution_paste, name="resolution_paste"),
    path("resolutions/", views.resolution_tracker, name="resolution_tracker"),
    path(
        "resolutions/download.<str:fmt>",
        views.resolution_tracker,
        name="resolution_tracker_download",
    ),
    path("resolutions/<int:pk>/", views.resolution_detail, name="resolution_detail"),
    path("resolutions/<int:pk>/edit/", views.resolution_update, name="resolution_update"),
    path("resolutions/<int:pk>/delete/", delete_views.resolution_delete, name="resolution_delete"),
    path("resolutions/<int:pk>/respond/", views.response_create, name="response_create"),
    path(
        "resolutions/<int:pk>/responses/<int:response_pk>/delete/",
        delete_views.response_delete,
        name="response_delete",
    ),
    path("resolutions/<int:pk>/action/", views.resolution_action, name="resolution_action"),
    path(
        "resolutions/<int:pk>/action/new/",
        views.resolution_action_create,
        name="resolution_action_create",
    ),
]
