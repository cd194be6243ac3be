from django.urls import path

from imports import bank_result_views, views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("upload/", views.import_upload, name="import_upload"),
    path("templates/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("<int:pk>/reverse/", views.import_reverse, name="import_reverse"),
    path("<int:pk>/errors.xlsx", views.import_error_report, name="import_error_report"),
    path("bank-results/upload/<int:batch>/", bank_result_views.result_upload, name="bank_result_upload"),
    path("bank-results/<int:pk>/", bank_result_views.result_detail, name="bank_result_detail"),
    path("bank-results/<int:pk>/confirm/", bank_result_views.result_confirm, name="bank_result_confirm"),
    path("bank-results/<int:pk>/discard/", bank_result_views.result_discard, name="bank_result_discard"),
]
