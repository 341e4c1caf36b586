from django.urls import path

from reports import views
from reports.dashboard import views as dashboard_views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path(
        "dashboard/download/<slug:table>.<str:fmt>",
        dashboard_views.dashboard_download,
        name="dashboard_download",
    ),
    path("dashboard/peer-groups/", dashboard_views.peer_group_list, name="peer_group_list"),
    path("dashboard/peer-groups/add/", dashboard_views.peer_group_edit, name="peer_group_add"),
    path(
        "dashboard/peer-groups/<int:pk>/change/",
        dashboard_views.peer_group_edit,
        name="peer_group_edit",
    ),
    path("measures/<slug:code>/", dashboard_views.measure_detail, name="measure_detail"),
    path(
        "measures/<slug:code>/download/<slug:table>.<str:fmt>",
        dashboard_views.measure_download,
        name="measure_download",
    ),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/preview/", views.report_preview, name="report_preview"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/issue/cancel/", views.report_issue_cancel, name="report_issue_cancel"),
    path("reports/<int:pk>/draft.pdf", views.report_draft_pdf, name="report_draft_pdf"),
    path("reports/<int:pk>/draft.docx", views.report_draft_docx, name="report_draft_docx"),
    path("reports/word-template/", views.word_template, name="word_template"),
    path(
        "reports/word-template/remove/",
        views.word_template_remove,
        name="word_template_remove",
    ),
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
    path(
        "reports/<int:pk>/versions/<int:number>.docx",
        views.version_docx_download,
        name="version_docx_download",
    ),
]
