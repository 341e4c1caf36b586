from django.urls import path

from actionplans import views

app_name = "actionplans"

urlpatterns = [
    path("plan/", views.plan_list, name="plan_list"),
    path("plan/add/", views.plan_add, name="plan_add"),
    path("plan/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/<int:plan_id>/history/", views.plan_history, name="plan_history"),
    path("plan/<int:plan_id>/download.<str:fmt>", views.plan_export, name="plan_export"),
    path("plan/<int:plan_id>/objectives/add/", views.objective_add, name="objective_add"),
    path("plan/objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("plan/objectives/<int:objective_id>/actions/add/", views.action_add, name="action_add"),
    path("plan/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("plan/actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("plan/actions/<int:pk>/updates/add/", views.update_add, name="update_add"),
    path("plan/updates/<int:pk>/evidence/", views.update_evidence, name="update_evidence"),
    path("plan/<str:kind>/<int:pk>/targets/add/", views.target_add, name="target_add"),
    path("plan/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
]
