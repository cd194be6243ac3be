from django.urls import path

from imports.people import views

app_name = "people"
urlpatterns = [
    path("households/new/", views.person_create, {"kind": "household"}, name="household_create"),
    path("households/<int:pk>/", views.person_detail, {"kind": "household"}, name="household_detail"),
    path("households/<int:pk>/edit/", views.person_edit, {"kind": "household"}, name="household_edit"),
    path("households/<int:pk>/<slug:action>/", views.person_action, {"kind": "household"}, name="household_action"),
    path("model-workers/new/", views.person_create, {"kind": "model_worker"}, name="model_worker_create"),
    path("model-workers/<int:pk>/", views.person_detail, {"kind": "model_worker"}, name="model_worker_detail"),
    path("model-workers/<int:pk>/edit/", views.person_edit, {"kind": "model_worker"}, name="model_worker_edit"),
    path(
        "model-workers/<int:pk>/<slug:action>/",
        views.person_action,
        {"kind": "model_worker"},
        name="model_worker_action",
    ),
]
