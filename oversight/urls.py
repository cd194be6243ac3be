from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/new/", views.objection_create_view, name="objection_create"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/resolve/", views.objection_resolve_view, name="objection_resolve"),
    path("verification/", views.round_list, name="round_list"),
    path("verification/new/", views.round_create, name="round_create"),
    path("verification/<int:pk>/", views.round_detail, name="round_detail"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/scan/", views.duplicate_scan_view, name="duplicate_scan"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
    path("publicity/", views.publicity_list, name="publicity_list"),
]
