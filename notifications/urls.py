from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("partnerships/<slug:slug>/emails/", views.delivery_list, name="delivery_list"),
]
