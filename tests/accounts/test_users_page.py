"""用户管理 in the app: the security administrator creates accounts with one role and a one-time password, disables,
resets, unlocks; roles that reach money or the log, and second-factor resets, wait for another administrator."""

import io
import re

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthenticatorDevice, RoleGrant, SecondFactorReset
from audit.models import AuditEvent
from core.models import DecisionStatus
from funds.choices import Role
from funds.models import User
from tests.factories import UserFactory, organization


@pytest.fixture
def security(db):
    return UserFactory(
        username="security-admin", role=Role.SECURITY_ADMIN, is_staff=True, last_name="安", first_name="全"
    )


@pytest.fixture
def second_security(db):
    return UserFactory(username="security-admin-2", role=Role.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def audit_admin(db):
    return UserFactory(username="audit-admin", role=Role.AUDIT_ADMIN, is_staff=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def one_time_password(page) -> str:
    match = re.search(r'class="mono one-time-password">([^<]+)<', page.content.decode())
    assert match, "the one-time password is shown"
    return match.group(1)


def create(client: Client, **fields):
    data = {"username": "hotan-li", "last_name": "李", "first_name": "娜", "organization": organization("653200").pk}
    data.update(role=Role.OPERATOR, reason="新到岗")
    data.update(fields)
    return client.post(reverse("users:user_create"), data)


def test_security_creates_an_operator_for_hotan_who_signs_in_with_the_one_time_password_once(security):
    client = signed_in(security)
    response = create(client)
    created = User.objects.get(username="hotan-li")
    assert response.status_code == 302 and response.url == reverse("users:user_detail", args=[created.pk])
    page = client.get(response.url)
    password = one_time_password(page)
    assert "no-store" in page["Cache-Control"]
    # Once: the next visit of the page no longer shows it.
    assert "one-time-password" not in client.get(response.url).content.decode()
    assert created.organization == organization("653200")
    assert created.roles == {Role.OPERATOR} and not created.is_staff
    assert created.must_change_password and created.is_active
    event = AuditEvent.objects.filter(action="create", object_id=str(created.pk)).get()
    assert event.actor == security
    # The operator signs in with it and must choose their own password first.
    operator = Client()
    assert operator.post(reverse("login"), {"username": "hotan-li", "password": password}).status_code == 302
    assert operator.get(reverse("funds:home")).url == reverse("accounts:password_change")


def test_a_finance_role_needs_the_federation_and_a_second_administrator(security, second_security, audit_admin):
    client = signed_in(security)
    refused = create(client, username="hotan-finance", role=Role.FINANCE)
    assert refused.status_code == 200
    assert "须属于自治区总工会本级" in refused.content.decode()
    assert not User.objects.filter(username="hotan-finance").exists()

    response = create(client, username="finance-3", role=Role.FINANCE, organization=organization("650000").pk)
    finance = User.objects.get(username="finance-3")
    assert finance.roles == frozenset()  # not yet: waits for a second person
    page = client.get(response.url).content.decode()
    assert "待确认：财务人员" in page
    grant = RoleGrant.objects.get(user=finance)
    # The proposer cannot confirm it: no button for them, and a direct post is refused.
    listing = client.get(reverse("users:user_list")).content.decode()
    assert "等待另一位管理员确认" in listing
    client.post(reverse("users:decision_decide", args=["role", grant.pk, "confirm"]))
    grant.refresh_from_db()
    assert grant.status == DecisionStatus.PENDING
    # The audit administrator confirms it on the users page.
    checker = signed_in(audit_admin)
    assert "finance-3" in checker.get(reverse("users:user_list")).content.decode()
    checker.post(reverse("users:decision_decide", args=["role", grant.pk, "confirm"]))
    grant.refresh_from_db()
    assert grant.status == DecisionStatus.APPROVED and grant.decided_by == audit_admin
    assert User.objects.get(pk=finance.pk).roles == {Role.FINANCE}


def test_the_audit_administrator_reads_and_confirms_but_creates_and_resets_nothing(audit_admin, security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    client = signed_in(audit_admin)
    assert client.get(reverse("users:user_detail", args=[clerk.pk])).status_code == 200
    assert client.get(reverse("users:user_create")).status_code == 403
    client.post(reverse("users:user_action", args=[clerk.pk, "deactivate"]), {"reason-reason": "x"})
    assert User.objects.get(pk=clerk.pk).is_active


def test_filters_by_organisation_role_and_state_and_searches_a_whole_chinese_name(security):
    UserFactory(username="kashgar-wang", role=Role.OPERATOR, organization=organization("653100"), last_name="王")
    UserFactory(
        username="hotan-zhang", role=Role.OPERATOR, organization=organization("653200"), last_name="张", first_name="三"
    )
    UserFactory(username="finance-z", role=Role.FINANCE, last_name="赵")
    AccessAttempt.objects.create(
        username="hotan-zhang", failures_since_start=5, ip_address="10.0.0.1", user_agent="x", get_data="", post_data=""
    )
    client = signed_in(security)
    url = reverse("users:user_list")

    def names(query: str) -> set[str]:
        table = client.get(f"{url}?{query}").context["table"]
        return {row.record.username for row in table.paginated_rows}

    assert names(f"organization={organization('653200').pk}") == {"hotan-zhang"}
    assert names(f"role={Role.FINANCE}") == {"finance-z"}
    assert names("state=locked") == {"hotan-zhang"}
    assert "1 个账号因连续登录失败被锁定" in client.get(url).content.decode()
    assert names("q=张三") == {"hotan-zhang"}
    page = client.get(f"{url}?role={Role.OPERATOR}").content.decode()
    table = page[page.index("<tbody") :]
    assert "单位经办人" in table and "org_operator" not in table
    assert "已锁定" in table


def test_the_export_is_the_filtered_list_in_chinese(security):
    UserFactory(username="hotan-zhang", role=Role.OPERATOR, organization=organization("653200"), last_name="张")
    response = signed_in(security).get(reverse("users:user_list") + f"?role={Role.OPERATOR}&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["用户名", "姓名", "所属单位", "角色"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [["hotan-zhang", "张", "和田地区", "单位经办人", None, "启用", "未绑定", None, rows[0][8]]]


def test_unlock_clears_the_lockout_and_is_logged(security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    AccessAttempt.objects.create(
        username="clerk", failures_since_start=5, ip_address="10.0.0.1", user_agent="x", get_data="", post_data=""
    )
    client = signed_in(security)
    assert "action-unlock" in client.get(reverse("users:user_detail", args=[clerk.pk])).content.decode()
    client.post(reverse("users:user_action", args=[clerk.pk, "unlock"]))
    assert not AccessAttempt.objects.filter(username="clerk").exists()
    assert AuditEvent.objects.filter(object_id=str(clerk.pk), detail__startswith="lockout lifted").exists()


def test_a_password_reset_gives_a_new_one_time_password_and_ends_the_sessions(security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    signed_in(clerk)
    client = signed_in(security)
    response = client.post(reverse("users:user_action", args=[clerk.pk, "reset_password"]))
    password = one_time_password(client.get(response.url))
    clerk.refresh_from_db()
    assert clerk.check_password(password) and not clerk.check_password("correct-horse-battery-9")
    assert clerk.must_change_password
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(clerk.pk)]


def test_disabling_needs_a_reason_ends_sessions_and_never_the_own_account(security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    signed_in(clerk)
    client = signed_in(security)
    action = reverse("users:user_action", args=[clerk.pk, "deactivate"])
    page = client.post(action, {}, follow=True).content.decode()
    assert "请填写事由" in page
    assert User.objects.get(pk=clerk.pk).is_active
    client.post(action, {"reason-reason": "调离"})
    assert not User.objects.get(pk=clerk.pk).is_active
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(clerk.pk)]
    client.post(reverse("users:user_action", args=[clerk.pk, "activate"]), {"reason-reason": "返岗"})
    assert User.objects.get(pk=clerk.pk).is_active
    client.post(reverse("users:user_action", args=[security.pk, "deactivate"]), {"reason-reason": "x"})
    assert User.objects.get(pk=security.pk).is_active


def test_a_second_factor_reset_is_proposed_here_and_confirmed_by_another_administrator(security, second_security):
    finance = UserFactory(username="finance-x", role=Role.FINANCE)
    AuthenticatorDevice.objects.create(user=finance, name="手机", confirmed=True)
    client = signed_in(security)
    detail = reverse("users:user_detail", args=[finance.pk])
    assert "已绑定" in client.get(detail).content.decode()
    client.post(reverse("users:user_action", args=[finance.pk, "reset_second_factor"]), {"reason-reason": "手机丢失"})
    reset = SecondFactorReset.objects.get(user=finance)
    assert reset.reason == "手机丢失" and AuthenticatorDevice.objects.filter(user=finance).exists()
    signed_in(second_security).post(
        reverse("users:decision_decide", args=["second_factor", reset.pk, "confirm"]), {"back": "detail"}
    )
    assert not AuthenticatorDevice.objects.filter(user=finance).exists()


def test_a_role_change_of_an_operator_takes_effect_at_once_and_a_finance_one_waits(security):
    clerk = UserFactory(username="clerk", role=Role.AUDITOR, organization=organization("653100"))
    client = signed_in(security)
    change = reverse("users:user_action", args=[clerk.pk, "change_role"])
    client.post(change, {"role-role": Role.OPERATOR, "role-reason": "岗位调整"})
    assert User.objects.get(pk=clerk.pk).roles == {Role.OPERATOR}
    refused = client.post(change, {"role-role": Role.FINANCE, "role-reason": "岗位调整"}, follow=True)
    assert "须属于自治区总工会本级" in refused.content.decode()
    reader = UserFactory(username="reader", role=None)
    client.post(
        reverse("users:user_action", args=[reader.pk, "change_role"]),
        {"role-role": Role.FINANCE, "role-reason": "岗位调整"},
    )
    assert User.objects.get(pk=reader.pk).roles == frozenset()
    assert RoleGrant.objects.get(user=reader, status=DecisionStatus.PENDING).role == Role.FINANCE


def test_the_users_page_is_not_reachable_before_the_second_factor(security, settings):
    settings.TWO_FACTOR_REQUIRED = True
    response = signed_in(security).get(reverse("users:user_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:two_factor"))


def test_the_last_sign_in_is_shown(security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    clerk.last_login = timezone.make_aware(timezone.datetime(2026, 11, 30, 9, 15))
    clerk.save()
    page = signed_in(security).get(reverse("users:user_list")).content.decode()
    assert "2026-11-30 09:15" in page


def test_correcting_an_account_moves_an_operator_but_never_a_finance_user_out_of_the_federation(security):
    clerk = UserFactory(username="clerk", role=Role.OPERATOR, organization=organization("653100"))
    finance = UserFactory(username="finance-x", role=Role.FINANCE)
    signed_in(clerk)
    client = signed_in(security)
    hotan = organization("653200").pk
    data = {"details-last_name": "李", "details-first_name": "娜", "details-email": "", "details-organization": hotan}
    client.post(reverse("users:user_action", args=[clerk.pk, "edit"]), data)
    clerk.refresh_from_db()
    assert (clerk.last_name, clerk.organization.code) == ("李", "653200")
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(clerk.pk)]
    event = AuditEvent.objects.filter(object_id=str(clerk.pk), action="update").latest("sequence")
    assert event.changes["organization"] == ["喀什地区", "和田地区"]
    page = client.post(reverse("users:user_action", args=[finance.pk, "edit"]), data, follow=True).content.decode()
    assert "须属于自治区总工会本级" in page
    assert User.objects.get(pk=finance.pk).organization.code == "650000"


def test_an_operator_that_would_see_every_prefecture_needs_a_second_administrator(security, audit_admin):
    client = signed_in(security)
    create(client, username="federation-clerk", organization=organization("650000").pk)
    clerk = User.objects.get(username="federation-clerk")
    # At the federation (which has sub-units) an operator would read every prefecture's rosters and payments.
    assert clerk.roles == frozenset()
    assert RoleGrant.objects.get(user=clerk).status == DecisionStatus.PENDING
    # Nor can an operator of 喀什 be moved there directly.
    kashgar = UserFactory(username="kashgar-clerk", role=Role.OPERATOR, organization=organization("653100"))
    data = {"details-last_name": "", "details-first_name": "", "details-email": ""}
    data["details-organization"] = organization("650000").pk
    page = client.post(reverse("users:user_action", args=[kashgar.pk, "edit"]), data, follow=True).content.decode()
    assert "有下级单位" in page
    assert User.objects.get(pk=kashgar.pk).organization.code == "653100"


def test_a_role_confirmed_after_the_account_moved_must_still_fit_its_organisation(security, audit_admin):
    from django.core.exceptions import ValidationError

    from accounts.services import role_grant_decide

    client = signed_in(security)
    create(client, username="finance-4", role=Role.FINANCE, organization=organization("650000").pk)
    finance = User.objects.get(username="finance-4")
    data = {"details-last_name": "", "details-first_name": "", "details-email": ""}
    data["details-organization"] = organization("653200").pk
    client.post(reverse("users:user_action", args=[finance.pk, "edit"]), data)
    assert User.objects.get(pk=finance.pk).organization.code == "653200"  # no role yet: a plain correction
    grant = RoleGrant.objects.get(user=finance)
    with pytest.raises(ValidationError):
        role_grant_decide(grant=grant, approve=True, acting_user=audit_admin)
    assert User.objects.get(pk=finance.pk).roles == frozenset()
