from django.urls import path  # noqa: F401 (filled in as the app's pages arrive)

app_name = "actionplans"

urlpatterns: list = []
