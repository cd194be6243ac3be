from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("users/", include("accounts.user_urls")),
    path("audit/", include("audit.urls")),
    path("beneficiaries/", include("beneficiaries.urls")),
    path("beneficiaries/", include("imports.people.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("imports/", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("", include("funds.urls")),
]
