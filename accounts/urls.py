from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change_view, name="password_change"),
    path("two-factor/", views.two_factor, name="two_factor"),
]
