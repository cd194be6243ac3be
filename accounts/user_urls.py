"""The users page, at /users/ (not under /account/, which stays open to users who have not yet passed the second
factor: accounts.middleware.OPEN_PREFIXES)."""

from django.urls import path

from accounts.views import users

app_name = "users"
urlpatterns = [
    path("", users.user_list, name="user_list"),
    path("new/", users.user_create, name="user_create"),
    path("<int:pk>/", users.user_detail, name="user_detail"),
    path(
        "<int:pk>/<str:action>/",
        users.user_action,
        name="user_action",
    ),
    path("decisions/<str:kind>/<int:pk>/<str:verdict>/", users.decision_decide, name="decision_decide"),
]
