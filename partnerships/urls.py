from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="partnership_list"),
    path("switch/", views.partnership_switch, name="partnership_switch"),
    path("<slug:slug>/", views.partnership_detail, name="partnership_detail"),
    path("<slug:slug>/edit/", views.partnership_edit, name="partnership_edit"),
    path("<slug:slug>/history/", views.partnership_history, name="partnership_history"),
    path("<slug:slug>/people/", views.member_list, name="member_list"),
    path("<slug:slug>/people/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("<slug:slug>/people/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/<str:kind>/add/", views.record_add, name="record_add"),
    path("<slug:slug>/<str:kind>/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("<slug:slug>/<str:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
]
