from django.urls import path

from casereviews import views

app_name = "casereviews"

urlpatterns = [
    path("case-reviews/", views.register, name="register"),
    path("case-reviews/add/", views.application_create, name="application_create"),
    path("case-reviews/figures/", views.figures, name="figures"),
    path("case-reviews/figures.csv", views.figures_download, name="figures_download"),
    path("case-reviews/publish/", views.publish, name="publish"),
    path("case-reviews/timescales/", views.settings_edit, name="settings_edit"),
    path("case-reviews/<int:pk>/", views.application_detail, name="application_detail"),
    path("case-reviews/<int:pk>/edit/", views.application_update, name="application_update"),
    path(
        "case-reviews/<int:pk>/recommendations/add/",
        views.recommendation_create,
        name="recommendation_create",
    ),
    path(
        "case-reviews/<int:pk>/recommendations/<int:recommendation_pk>/action/",
        views.recommendation_action,
        name="recommendation_action",
    ),
]
