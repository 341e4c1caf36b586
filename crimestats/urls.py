from django.urls import path

from crimestats import views
from crimestats.importers import views as import_views

app_name = "crimestats"

urlpatterns: list = [
    path("figures/", views.figures_home, name="figures_home"),
    path("figures/outstanding/", views.returns_outstanding, name="returns_outstanding"),
    path("figures/measures/", views.measure_choice, name="measure_choice"),
    path("figures/catalogue/", views.measure_catalogue, name="measure_catalogue"),
    path("figures/returns/<int:pk>/", views.return_edit, name="return_edit"),
    path("figures/returns/<int:pk>/approve/", views.return_approve, name="return_approve"),
    path("figures/returns/<int:pk>/send-back/", views.return_send_back, name="return_send_back"),
    path(
        "figures/returns/<int:pk>/template.<str:fmt>",
        views.return_download,
        name="return_download",
    ),
    path("figures/returns/<int:pk>/upload/", views.return_upload, name="return_upload"),
    path(
        "figures/returns/<int:pk>/upload/<int:batch>/",
        views.return_upload_confirm,
        name="return_upload_confirm",
    ),
    path("figures/figure/<int:pk>/history/", views.observation_history, name="figure_history"),
    path("imports/", import_views.import_list, name="import_list"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<slug:kind>/", import_views.import_upload, name="import_upload"),
]
