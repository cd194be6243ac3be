from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:program>/<int:year>/indicators/", views.indicators_edit, name="indicators_edit"),
    path("<slug:program>/<int:year>/inputs/", views.year_inputs, name="year_inputs"),
    path("<slug:program>/<int:year>/evidence/<slug:key>/", views.evidence_view, name="evidence"),
]
