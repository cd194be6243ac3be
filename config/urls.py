from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

# The admin is 数据维护: reference data for the system administrator (and the emergency account), in Chinese.
admin.site.site_header = _("工会专项资金管理与绩效评价系统 · 数据维护")
admin.site.site_title = _("数据维护")
admin.site.index_title = _("参考数据")

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    # The admin's own "修改密码" would skip the app's (audited, clears the first-password flag): one way to change it.
    path("admin/password_change/", RedirectView.as_view(pattern_name="accounts:password_change")),
    path("admin/", admin.site.urls),
    path("account/", include("accounts.urls")),
    path("users/", include("accounts.user_urls")),
    path("audit/", include("audit.urls")),
    path("beneficiaries/", include("beneficiaries.urls")),
    path("beneficiaries/", include("imports.people.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("imports/", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("payouts/", include("payouts.urls")),
    path("oversight/", include("oversight.urls")),
    path("", include("funds.urls")),
]
