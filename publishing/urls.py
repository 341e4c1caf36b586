"""The public pages under /public/ and the manager's pages under the partnership, in
one namespace (``publishing:``). Mounted at the root by cspportal/urls.py, before the
partnerships app's catch-all record routes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path
from django.views.decorators.http import require_GET

from publishing import views
from publishing.content import FROZEN
from publishing.sitemaps import PublicPagesSitemap

app_name = "publishing"


def _frozen(view, table_view, prefix: str) -> list[URLPattern]:
    """A route per frozen page and per page's CSV: profile at the root."""
    found: list[URLPattern] = []
    for key in FROZEN:
        name = key.replace("-", "_")
        page_route = "" if key == "profile" else f"{key}/"
        found += [
            path(page_route, view, {"page": key}, name=f"{prefix}{name}"),
            path(
                f"{key}/<slug:table>.csv",
                table_view,
                {"page": key},
                name=f"{prefix}{name}_table",
            ),
        ]
    return found


public: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path(
        "sitemap.xml",
        require_GET(sitemap),
        {"sitemaps": {"public": PublicPagesSitemap}},
        name="sitemap",
    ),
    path("<slug:slug>/", include(_frozen(views.public_page, views.public_table, ""))),
    path("<slug:slug>/meetings/", views.meetings, name="meetings"),
    path("<slug:slug>/meetings/upcoming.csv", views.meetings_table, name="meetings_table"),
    path("<slug:slug>/meetings.ics", views.calendar, name="calendar"),
    path("<slug:slug>/versions/", views.versions, name="versions"),
    path(
        "<slug:slug>/versions/<int:number>/",
        include(_frozen(views.version_page, views.version_table, "version_")),
    ),
]

manage: list[URLPattern | URLResolver] = [
    path("", views.manage, name="manage"),
    path("switch/", views.switch, name="switch"),
    path("publish/", views.publish, name="publish"),
    path("preview/", include(_frozen(views.preview, views.preview_table, "preview_"))),
    path("preview/meetings/", views.preview_meetings, name="preview_meetings"),
]

urlpatterns = [
    path("public/", include(public)),
    path("partnerships/<slug:slug>/publishing/", include(manage)),
]
