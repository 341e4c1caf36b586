from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/preview/", views.report_preview, name="report_preview"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/sections/add/", views.section_add, name="section_add"),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/",
        views.section_edit,
        name="section_edit",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/use-draft/",
        views.section_use_draft,
        name="section_use_draft",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/move/",
        views.section_move,
        name="section_move",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/delete/",
        views.section_delete,
        name="section_delete",
    ),
    path(
        "reports/<int:pk>/versions/<int:number>.pdf",
        views.version_download,
        name="version_download",
    ),
]
