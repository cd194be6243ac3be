from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("snapshots/<int:pk>/<str:part>/", views.snapshot_download, name="snapshot_download"),
    path("<slug:scope>/<int:year>/", views.report_detail, name="report_detail"),
    path("<slug:scope>/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("<slug:scope>/<int:year>/explain/", views.report_explain, name="report_explain"),
    path("<slug:scope>/<int:year>/finalise/", views.report_finalise_view, name="report_finalise"),
    path("<slug:scope>/<int:year>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("<slug:scope>/<int:year>/self-evaluation.xlsx", views.self_evaluation_xlsx, name="self_evaluation_xlsx"),
    path("<slug:scope>/<int:year>/self-evaluation.pdf", views.self_evaluation_pdf_view, name="self_evaluation_pdf"),
]
