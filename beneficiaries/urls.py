from django.urls import path

from beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("model-workers/", views.model_worker_list, name="model_worker_list"),
    path("living-surveys/", views.living_survey_list, name="living_survey_list"),
    path("unmask/<slug:kind>/<int:pk>/", views.unmask, name="unmask"),
]
