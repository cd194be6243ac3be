from django.urls import path

from accounts.views import own

app_name = "accounts"
urlpatterns = [
    path("password/", own.password_change_view, name="password_change"),
    path("two-factor/", own.two_factor, name="two_factor"),
]
