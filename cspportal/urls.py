from django.contrib import admin
from django.urls import include, path

from cspportal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("admin/", admin.site.urls),
]
