from django.urls import path

from beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.person_create, {"kind": "household"}, name="household_create"),
    path("households/<int:pk>/", views.person_detail, {"kind": "household"}, name="household_detail"),
    path("households/<int:pk>/edit/", views.person_edit, {"kind": "household"}, name="household_edit"),
    path(
        "households/<int:pk>/<slug:action>/",
        views.person_action,
        {"kind": "household"},
        name="household_action",
    ),
    path("model-workers/", views.model_worker_list, name="model_worker_list"),
    path("model-workers/new/", views.person_create, {"kind": "model_worker"}, name="model_worker_create"),
    path("model-workers/<int:pk>/", views.person_detail, {"kind": "model_worker"}, name="model_worker_detail"),
    path("model-workers/<int:pk>/edit/", views.person_edit, {"kind": "model_worker"}, name="model_worker_edit"),
    path(
        "model-workers/<int:pk>/<slug:action>/",
        views.person_action,
        {"kind": "model_worker"},
        name="model_worker_action",
    ),
    path("living-surveys/", views.living_survey_list, name="living_survey_list"),
    path("unmask/<slug:kind>/<int:pk>/", views.unmask, name="unmask"),
]
