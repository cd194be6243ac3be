from django.urls import path

from reports import monitoring_views, publicity, views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("publicity/", publicity.publicity_create, name="publicity_create"),
    # Before "<scope>/<year>/", which "monitoring/<pk>/" would match.
    path("monitoring/", monitoring_views.monitoring_list, name="monitoring_list"),
    path("monitoring/<int:pk>/", monitoring_views.monitoring_detail, name="monitoring_detail"),
    path("monitoring/<int:pk>/explain/", monitoring_views.monitoring_explain, name="monitoring_explain"),
    path("monitoring/<int:pk>/finalise/", monitoring_views.monitoring_finalise_view, name="monitoring_finalise"),
    path("monitoring/<int:pk>/draft.<str:part>", monitoring_views.monitoring_draft, name="monitoring_draft"),
    path(
        "targets/<slug:program>/<int:year>/file.<str:part>",
        monitoring_views.target_table_file,
        name="target_table_file",
    ),
    path(
        "monitoring/snapshots/<int:pk>/<str:part>/",
        monitoring_views.monitoring_snapshot_download,
        name="monitoring_snapshot_download",
    ),
    path("snapshots/<int:pk>/<str:part>/", views.snapshot_download, name="snapshot_download"),
    path("<slug:scope>/<int:year>/", views.report_detail, name="report_detail"),
    path("<slug:scope>/<int:year>/edit/", views.report_edit, name="report_edit"),
    path("<slug:scope>/<int:year>/explain/", views.report_explain, name="report_explain"),
    path("<slug:scope>/<int:year>/finalise/", views.report_finalise_view, name="report_finalise"),
    path("<slug:scope>/<int:year>/result/", views.result_application_view, name="result_application"),
    path("<slug:scope>/<int:year>/report.pdf", views.report_pdf_view, name="report_pdf"),
    path("<slug:scope>/<int:year>/self-evaluation.xlsx", views.self_evaluation_xlsx, name="self_evaluation_xlsx"),
    path("<slug:scope>/<int:year>/self-evaluation.pdf", views.self_evaluation_pdf_view, name="self_evaluation_pdf"),
]
