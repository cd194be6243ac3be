from django.urls import path

from payouts import views

app_name = "payouts"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_create, name="batch_create"),
    path("returned/", views.returned_list, name="returned_list"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_edit, name="template_create"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/release/", views.batch_release, name="batch_release"),
    path("<int:pk>/cancel/", views.batch_cancel, name="batch_cancel"),
    path("<int:pk>/file/", views.batch_file, name="batch_file"),
    path("<int:pk>/lines/<int:line>/remove/", views.line_remove, name="line_remove"),
    path("lines/<int:pk>/reissue/", views.line_reissue, name="line_reissue"),
    path("lines/<int:pk>/recover/", views.line_recover, name="line_recover"),
]
