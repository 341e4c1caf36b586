from django.contrib import admin
from django.urls import include, path

from cspportal import health, views

# Each app's pages live under /partnerships/<slug>/<section>/; they are listed before
# the partnerships app so that its catch-all record routes never shadow them.
partnership_sections = [
    path("", include("crimestats.urls")),
    path("", include("actionplans.urls")),
    path("", include("meetings.urls")),
    path("", include("casereviews.urls")),
    path("", include("reports.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("partnerships/new/", include("crimestats.onboarding.urls")),
    # /public/... and /partnerships/<slug>/publishing/...: before the partnerships app.
    path("", include("publishing.urls")),
    path("partnerships/<slug:slug>/", include(partnership_sections)),
    # The user's notifications, and a partnership's email log (before the
    # partnerships app's catch-all record routes).
    path("", include("notifications.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("public/<slug:slug>/", include("casereviews.public_urls")),
    path("imports/", include("crimestats.importers.site_urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "cspportal.errors.server_error"
