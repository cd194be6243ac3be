from django.urls import path

from beneficiaries import views

app_name = "beneficiaries"
urlpatterns = [path("unmask/<slug:kind>/<int:pk>/", views.unmask, name="unmask")]
