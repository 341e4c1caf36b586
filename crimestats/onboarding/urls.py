from django.urls import path

from crimestats.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.set_up_search, name="set_up_search"),
    path("<slug:slug>/", views.set_up_confirm, name="set_up_confirm"),
]
