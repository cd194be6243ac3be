from django.urls import path

from evaluation import target_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:program>/<int:year>/indicators/", views.indicators_edit, name="indicators_edit"),
    path("<slug:program>/<int:year>/inputs/", views.year_inputs, name="year_inputs"),
    path("<slug:program>/<int:year>/evidence/<slug:key>/", views.evidence_view, name="evidence"),
    path("<slug:program>/<int:year>/targets/", target_views.target_table, name="target_table"),
    path(
        "<slug:program>/<int:year>/targets/adjustments/",
        target_views.target_adjustment_new,
        name="target_adjustment_new",
    ),
    path(
        "target-adjustments/<int:pk>/<str:verdict>/",
        target_views.target_adjustment_verdict,
        name="target_adjustment_verdict",
    ),
]
