"""Session limits and what a signed-in user must do before anything else (change a first password, pass TOTP)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.auth_events import LOGIN_AT
from funds.choices import TWO_FACTOR_ROLES

# Paths a user with an outstanding requirement may still reach.
OPEN_PREFIXES = ("/static/", "/i18n/", "/logout/", "/account/password/", "/account/two-factor/")


def needs_second_factor(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED:
        return False
    return user.is_superuser or bool(user.roles & TWO_FACTOR_ROLES)


class SessionLimitsMiddleware:
    """12 hours after signing in the session ends, however active it was (the 30 minutes idle limit is the
    cookie's age, renewed on each request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("登录已超过 12 小时，请重新登录。"))
                return redirect(f"{reverse('login')}?next={request.path}")
        return self.get_response(request)


class AccountRequirementsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            # The second factor first: a password alone (perhaps a stolen first password) must not be enough to set
            # a new one and lock the owner out.
            if needs_second_factor(user) and not user.is_verified():
                return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
            if user.must_change_password:
                return redirect("accounts:password_change")
        return self.get_response(request)


def account_pending(request: HttpRequest) -> dict:
    """Template context: the user still has to change a first password or pass the second factor (no menu yet)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"account_pending": False}
    return {"account_pending": user.must_change_password or (needs_second_factor(user) and not user.is_verified())}
