"""三权分立 for real: the security administrator manages accounts but can never become a finance user."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.middleware import needs_second_factor
from accounts.models import AuthenticatorDevice as TOTPDevice
from audit.models import AuditEvent
from funds.choices import Role
from funds.models import Organization, User
from tests.factories import UserFactory, organization

PASSWORD = "correct-horse-battery-9"
NEW_PASSWORD = "Another-horse-staple-7"


@pytest.fixture
def security(db):
    return UserFactory(username="security-admin", role=Role.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def finance(db):
    user = UserFactory(username="finance-x", role=Role.FINANCE, must_change_password=False)
    user.set_password(PASSWORD)
    user.save()
    return user


def signed_in_elsewhere(user) -> Client:
    other = Client()
    other.force_login(user)
    assert Session.objects.count() >= 1
    return other


def test_the_totp_secret_is_shown_to_no_administrator(client, security, finance):
    device = TOTPDevice.objects.create(user=finance, name="手机", confirmed=True)
    client.force_login(security)
    page = client.get(reverse("users:user_detail", args=[finance.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "手机" in html and "已绑定" in html
    assert device.key not in html and device.config_url not in html
    assert "otpauth://" not in html
    # The admin's device pages (and django-otp's QR-code / config view) are the emergency account's only.
    assert client.get(reverse("admin:accounts_authenticatordevice_change", args=[device.pk])).status_code in (
        302,
        403,
    )
    assert client.get(f"/admin/accounts/authenticatordevice/{device.pk}/config/").status_code in (302, 403, 404)
    root = UserFactory(username="root", is_superuser=True, is_staff=True, organization=None)
    client.force_login(root)
    html = client.get(reverse("admin:accounts_authenticatordevice_change", args=[device.pk])).content.decode()
    assert device.key not in html and "otpauth://" not in html


def test_resetting_a_second_factor_needs_a_second_administrator_then_removes_the_device_and_ends_sessions(
    client, security, finance
):
    from accounts.models import SecondFactorReset

    TOTPDevice.objects.create(user=finance, name="手机", confirmed=True)
    signed_in_elsewhere(finance)
    client.force_login(security)
    response = client.post(
        reverse("users:user_action", args=[finance.pk, "reset_second_factor"]),
        {"reason-reason": "手机丢失"},
        follow=True,
    )
    assert "须由另一位安全管理员或审计管理员确认" in response.content.decode()
    # One administrator alone (who may also set the password) cannot take the second factor away.
    assert TOTPDevice.objects.filter(user=finance).exists()
    reset = SecondFactorReset.objects.get(user=finance)
    client.post(reverse("users:decision_decide", args=["second_factor", reset.pk, "confirm"]))
    assert TOTPDevice.objects.filter(user=finance).exists()
    other = UserFactory(username="security-admin-2", role=Role.SECURITY_ADMIN, is_staff=True)
    client.force_login(other)
    client.post(reverse("users:decision_decide", args=["second_factor", reset.pk, "confirm"]))
    assert not TOTPDevice.objects.filter(user=finance).exists()
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(finance.pk)]
    event = AuditEvent.objects.filter(action="two_factor", object_id=str(finance.pk)).latest("sequence")
    assert event.actor == other and "proposed by security-admin" in event.detail


def test_a_password_set_by_an_administrator_must_be_changed_and_ends_the_users_sessions(client, security, finance):
    signed_in_elsewhere(finance)
    client.force_login(security)
    response = client.post(reverse("users:user_action", args=[finance.pk, "reset_password"]))
    assert response.status_code == 302
    finance.refresh_from_db()
    assert not finance.check_password(PASSWORD)
    assert finance.must_change_password
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(finance.pk)]
    event = AuditEvent.objects.filter(action="password_change", object_id=str(finance.pk)).latest("sequence")
    assert event.actor == security and "forced" in event.detail


def test_a_user_holds_one_role_even_in_the_emergency_accounts_admin(client, db):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True, organization=None))
    url = reverse("admin:funds_user_change", args=[clerk.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.pop("password", None)
    data.update(
        username="clerk",
        organization=clerk.organization_id,
        groups=[Group.objects.get(name=Role.OPERATOR).pk, Group.objects.get(name=Role.AUDITOR).pk],
        is_active="on",
        must_change_password="on",
        date_joined_0="2026-01-01",
        date_joined_1="00:00:00",
    )
    data = {k: v for k, v in data.items() if not isinstance(v, bool)}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "一个用户只能担任一个角色" in response.content.decode()
    assert User.objects.get(pk=clerk.pk).roles == {Role.OPERATOR}


def test_the_admin_holds_no_account_pages_for_the_administrators(client, security):
    client.force_login(security)
    index = client.get(reverse("admin:index")).content.decode()
    for hidden in ("funds/user/", "auth/group/", "axes/", "accounts/"):
        assert f"/admin/{hidden}" not in index, hidden
    assert client.get(reverse("admin:funds_user_changelist")).status_code == 403
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert "工会专项资金管理与绩效评价系统 · 数据维护" in index and "Django" not in index


def test_two_roles_given_anyway_get_the_stricter_second_factor_rule(db, settings):
    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory(username="both", role=Role.AUDITOR)
    assert not needs_second_factor(User.objects.get(pk=user.pk))
    user.groups.add(Group.objects.get(name=Role.SECURITY_ADMIN))
    assert needs_second_factor(User.objects.get(pk=user.pk))


def test_the_password_cannot_be_changed_before_the_second_factor(client, finance, settings):
    settings.TWO_FACTOR_REQUIRED = True
    finance.must_change_password = True
    finance.save()
    client.post(reverse("login"), {"username": finance.username, "password": PASSWORD})
    # The first-password page is not where a finance user lands, and a direct post does not change it.
    assert client.get("/").url.startswith(reverse("accounts:two_factor"))
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor"))
    finance.refresh_from_db()
    assert finance.check_password(PASSWORD)


def test_re_parenting_an_organisation_in_the_admin_is_logged_with_before_and_after(client, db):
    root = UserFactory(username="root", is_superuser=True, is_staff=True, organization=None)
    client.force_login(root)
    hotan = organization("653200")
    kashgar = organization("653100")
    url = reverse("admin:funds_organization_change", args=[hotan.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not None and v is not False}
    data["parent"] = kashgar.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organization.objects.get(pk=hotan.pk).parent_id == kashgar.pk
    event = AuditEvent.objects.filter(action="update", object_id=str(hotan.pk)).latest("sequence")
    assert event.changes["parent_id"] == [str(form.initial["parent"]), str(kashgar.pk)]


def test_the_authenticator_secret_is_encrypted_at_rest(finance):
    from django.db import connection

    device = TOTPDevice.objects.create(user=finance, name="手机", confirmed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_authenticatordevice WHERE id = %s", [device.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v2:") and device.key not in stored
    # django-otp's own code verifies codes against it (the secret decrypted only in memory).
    from django_otp.oath import totp

    assert TOTPDevice.objects.get(pk=device.pk).verify_token(totp(device.bin_key))


def test_the_admins_change_password_link_leads_to_the_apps_own_page(client, security):
    client.force_login(security)
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
