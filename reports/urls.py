from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("<slug:program>/<int:year>/self-evaluation.xlsx", views.self_evaluation_xlsx, name="self_evaluation_xlsx"),
    path("<slug:program>/<int:year>/self-evaluation.pdf", views.self_evaluation_pdf_view, name="self_evaluation_pdf"),
]
