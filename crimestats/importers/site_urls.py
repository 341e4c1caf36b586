"""Site-level imports (``/imports/``): the ONS workbook and lookup, which describe every
partnership, imported by a site administrator."""

from django.urls import path

from crimestats.importers import views

app_name = "site_imports"

urlpatterns = [
    path("", views.site_import_list, name="import_list"),
    path("batches/<int:pk>/", views.site_import_detail, name="import_detail"),
    path("batches/<int:pk>/confirm/", views.site_import_confirm, name="import_confirm"),
    path("<slug:kind>/", views.site_import_upload, name="import_upload"),
]
