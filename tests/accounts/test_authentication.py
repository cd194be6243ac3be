"""Sign-in hardening: password rules, lockout, session limits, first-login change, TOTP, production settings."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import AuthenticatorDevice as TOTPDevice
from accounts.services import password_change, user_deactivate
from audit.auth_events import LOGIN_AT
from funds.choices import Role
from funds.models import User
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-9"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("Ab1!xyz", "至少"),  # too short
        ("abcdefghij12", "至少 3 类"),  # two classes
        ("Password123", "common"),  # on the common-passwords list
    ],
)
def test_weak_passwords_are_refused(users, password, why):
    with pytest.raises(ValidationError) as caught:
        validate_password(password, users.finance)
    text = " ".join(caught.value.messages)
    assert why in text or caught.value.error_list[0].code in ("password_too_common", "password_too_short"), text


@pytest.mark.django_db
def test_the_last_five_passwords_cannot_be_reused(users):
    user = users.finance
    history = [f"Strong-pass-{n}x" for n in range(6)]
    for password in history:
        password_change(user=user, new_password=password)
    for recent in history[-5:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, user)
    validate_password(history[0], user)  # six changes ago: allowed again


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_for_thirty_minutes(client, users, settings):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    for _ in range(5):
        client.post(reverse("login"), {"username": "finance-a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "finance-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定 30 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="locked_out", actor_username="finance-a").exists()


@pytest.mark.django_db
def test_sign_in_gives_a_new_session_id(client, users):
    client.get(reverse("login"))
    client.session["probe"] = 1
    before = client.session.session_key
    client.post(reverse("login"), {"username": "finance-a", "password": PASSWORD})
    assert client.session.session_key != before


@pytest.mark.django_db
def test_sessions_expire_when_idle_and_after_twelve_hours(client, users, settings):
    assert (settings.SESSION_COOKIE_AGE, settings.SESSION_SAVE_EVERY_REQUEST) == (30 * 60, True)
    client.force_login(users.finance)
    assert client.get(reverse("funds:home")).status_code == 200
    session = client.session
    session[LOGIN_AT] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get(reverse("funds:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("funds:home")).status_code == 302  # signed out, not just redirected once


@pytest.mark.django_db
def test_disabling_a_user_ends_their_sessions(client, users):
    client.force_login(users.kashgar)
    assert client.get(reverse("funds:home")).status_code == 200
    security = UserFactory(username="security-admin", role=Role.SECURITY_ADMIN)
    with pytest.raises(PermissionDenied):
        user_deactivate(user=users.kashgar, acting_user=users.finance)  # 三权分立: not finance staff's job
    user_deactivate(user=users.kashgar, acting_user=security)
    assert client.get(reverse("funds:home")).status_code == 302


@pytest.mark.django_db
def test_a_new_account_must_change_its_password_first(client):
    user = UserFactory(username="new-clerk", role=Role.FINANCE, must_change_password=True)
    client.force_login(user)
    response = client.get(reverse("funds:home"))
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-Pass-2026", "new_password2": "Fresh-Pass-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("funds:home")).status_code == 200


@pytest.mark.django_db
def test_finance_staff_need_a_totp_code_that_cannot_be_reused(client, users, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.post(reverse("login"), {"username": "finance-a", "password": PASSWORD})
    response = client.get(reverse("funds:home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor"))
    page = client.get(response.url).content.decode()
    assert "<svg" in page  # the enrolment QR code
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(detail="enrolment secret shown", actor=users.finance).exists()
    device = TOTPDevice.objects.get(user=users.finance)
    assert client.post(reverse("accounts:two_factor"), {"token": "000000"}).status_code == 200
    time.sleep(1.1)  # django-otp throttles the next attempt after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("accounts:two_factor"), {"token": code, "next": "/"}).status_code == 302
    assert client.get(reverse("funds:home")).status_code == 200
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "finance-a", "password": PASSWORD})
    response = client.post(reverse("accounts:two_factor"), {"token": code})
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert client.get(reverse("funds:home")).status_code == 302
    # Operators are not asked for a second factor.
    client.force_login(users.kashgar)
    assert client.get(reverse("funds:home")).status_code == 200


@pytest.mark.django_db
def test_security_headers_on_pages_with_personal_data(client, users):
    client.force_login(users.finance)
    response = client.get(reverse("funds:home"))
    assert response["Cache-Control"].startswith("no-store")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "onchange=" not in response.content.decode()  # no inline handlers: the policy would block them


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "k" + "x7Q!p2#Lm9$vR4^tW8&zB1*nC5(yD3)eF6" * 2,
        "ALLOWED_HOSTS": "funds.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("HTTPS", None)
    env.pop("TWO_FACTOR_REQUIRED", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_the_security_administrator_manages_accounts_but_cannot_escalate(client, users):
    security = UserFactory(username="security-admin", role=Role.SECURITY_ADMIN, is_staff=True)
    client.force_login(security)
    # Their own account offers no action (no role, no reset, no disabling oneself), and no form anywhere names
    # superuser status or single permissions.
    own = client.get(reverse("users:user_detail", args=[security.pk]))
    assert own.status_code == 200 and "account-actions" not in own.content.decode()
    client.post(
        reverse("users:user_action", args=[security.pk, "change_role"]), {"role-role": Role.FINANCE, "role-reason": "x"}
    )
    assert User.objects.get(pk=security.pk).roles == {Role.SECURITY_ADMIN}
    other = client.get(reverse("users:user_detail", args=[users.kashgar.pk])).content.decode()
    assert "action-change_role" in other
    assert "is_superuser" not in other and "user_permissions" not in other
    # No money, no personal data: the security administrator cannot open payments or households.
    assert client.get(reverse("admin:funds_disbursement_changelist")).status_code == 403
    assert client.get(reverse("admin:beneficiaries_household_changelist")).status_code == 403
    assert client.get(reverse("funds:payment_list")).status_code in (403, 404)
