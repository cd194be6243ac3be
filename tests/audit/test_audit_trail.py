"""The audit trail: every event recorded, rows unchangeable, tampering found, log lines unforgeable."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from audit.verify import verify_audit_chain
from funds.choices import FundingSource
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from tests.db_tampering import triggers_switched_off
from tests.factories import HouseholdFactory, UserFactory, organization

PASSWORD = "correct-horse-battery-9"


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-sequence").first()


@pytest.mark.django_db
def test_sign_in_events_are_recorded_with_address_and_agent(client, users):
    client.post(reverse("login"), {"username": "op-kashgar", "password": "wrong"}, HTTP_USER_AGENT="Firefox/140")
    failed = last("login_failed")
    assert (failed.actor_username, failed.ip_address, failed.user_agent) == ("op-kashgar", "127.0.0.1", "Firefox/140")
    client.post(reverse("login"), {"username": "op-kashgar", "password": PASSWORD})
    assert last("login").actor == users.kashgar
    client.post(reverse("logout"))
    assert last("logout").actor == users.kashgar
    assert last("login").occurred_at.tzinfo is not None


@pytest.mark.django_db
def test_refusals_and_downloads_are_recorded(client, users, funded_2024):
    client.force_login(users.kashgar)
    assert client.get(reverse("funds:appropriation_create")).status_code == 403
    assert last("authorization_failure").detail.startswith("403 GET /appropriations/new/")
    assert client.get(reverse("funds:plan_detail", args=[999999])).status_code == 404
    assert last("authorization_failure").detail.startswith("404 GET /plans/999999/")
    client.force_login(users.auditor)
    response = client.get(reverse("imports:import_template", args=["disbursements"]))
    assert response.status_code == 200
    download = last("download")
    assert (download.actor, download.object_repr.endswith(".xlsx")) == (users.auditor, True)


@pytest.mark.django_db
def test_changes_and_approvals_carry_before_and_after(users, funded_2024):
    plan = allocation_plan_save(
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="2024 分配方案",
        plan_date=datetime.date(2024, 5, 20),
        lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("600000"))],
        acting_user=users.finance,
    )
    created = last("create")
    assert created.object_type == "funds.allocationplan" and created.changes["lines"] == ["", "653100=600000.00"]
    allocation_plan_save(
        plan=plan,
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="2024 分配方案（修订）",
        plan_date=datetime.date(2024, 5, 20),
        lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("500000"))],
        acting_user=users.finance,
    )
    updated = last("update")
    assert updated.changes["title"] == ["2024 分配方案", "2024 分配方案（修订）"]
    assert updated.changes["lines"] == ["653100=600000.00", "653100=500000.00"]
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_approve(plan=plan, acting_user=users.finance2)
    approved = last("approve")
    assert (approved.actor, approved.changes["status"]) == (users.finance2, ["submitted", "approved"])
    receipt = last("create")
    assert receipt.object_type == "funds.allocationplan"  # the receipts came before, in the fixture
    assert AuditEvent.objects.filter(object_type="funds.fundsreceipt", action="create").count() == 1
    assert FundingSource.CURRENT_FISCAL in str(AuditEvent.objects.get(object_type="funds.fundsreceipt").changes)


@pytest.mark.django_db
def test_unmasking_needs_the_permission_is_a_post_and_is_recorded(client, users):
    household = HouseholdFactory(organization=organization("653100"))
    url = reverse("beneficiaries:unmask", args=["household", household.pk])
    client.force_login(users.auditor)
    assert client.post(url).status_code == 403
    client.force_login(users.finance)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert household.id_number in response.content.decode()
    event = last("unmask")
    assert (event.actor, event.object_id) == (users.finance, str(household.pk))
    assert household.id_number not in str(AuditEvent.objects.values_list("detail", "changes", "object_repr"))
    assert response["Cache-Control"].startswith("no-store")


@pytest.mark.django_db
def test_the_application_cannot_change_or_delete_audit_rows(users):
    from audit.services import audit_record

    event = audit_record(action="login", actor=users.finance)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail="nothing happened")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_verify_audit_finds_the_first_row_altered_or_removed_directly_in_the_database(users):
    from audit.services import audit_record
    from core.db_guards import install_append_only_guard, remove_append_only_guard

    events = [audit_record(action="login", actor=users.finance) for _ in range(5)]
    assert verify_audit_chain().ok
    table = AuditEvent._meta.db_table
    with triggers_switched_off(
        lambda e: remove_append_only_guard(e, table), lambda e: install_append_only_guard(e, table)
    ):
        AuditEvent.objects.filter(pk=events[2].pk).update(actor_username="someone-else")
        result = verify_audit_chain()
        assert not result.ok
        assert f"第 {events[2].sequence} 条记录的内容被修改过" in result.first_problem
        AuditEvent.objects.filter(pk=events[2].pk).delete()
        result = verify_audit_chain()
        assert f"第 {events[2].sequence} 至 {events[2].sequence} 条之间的记录被删除" in result.first_problem
    out = io.StringIO()
    with pytest.raises(Exception, match="integrity check failed"):
        call_command("verify_audit", stdout=out)
    assert "BROKEN" in out.getvalue()


@pytest.mark.django_db
def test_verify_page_for_auditors_only(client, users):
    url = reverse("audit:verify")
    client.force_login(users.kashgar)
    assert client.get(url).status_code == 403
    client.force_login(users.auditor)
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-verification="ok"' in response.content.decode()
    assert last("verify").actor == users.auditor


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    ["evil\r\n2026-11-23 INFO login ok user=admin", "\x1b[2J\x1b[31mALERT", "a\u2028b", "x\x07y\x85z"],
)
def test_control_characters_cannot_forge_log_lines(client, users, hostile):
    client.post(reverse("login"), {"username": hostile, "password": "x"}, HTTP_USER_AGENT=hostile)
    event = last("login_failed")
    for text in (event.actor_username, event.user_agent):
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029" for c in text), repr(text)
        assert "\\x" in text


@pytest.mark.django_db
def test_auditors_filter_and_export_the_log_with_formulas_neutralised(client, users):
    from audit.services import audit_record

    audit_record(action="update", actor=users.finance, detail='=HYPERLINK("http://evil")')
    audit_record(action="login", actor=users.kashgar)
    client.force_login(users.auditor)
    page = client.get(reverse("audit:event_list"), {"user": "finance-a", "action": "update"}).content.decode()
    assert "HYPERLINK" in page and 'data-action="login"' not in page
    response = client.get(reverse("audit:event_list"), {"user": "finance-a", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "个人敏感信息" in rows[0][0]
    # The detail reads as it was recorded, and is text: a string cell with Excel's quote-prefix flag.
    cell = next(row[8] for row in sheet.iter_rows(min_row=3) if row[8].value == '=HYPERLINK("http://evil")')
    assert cell.data_type == "s" and cell.quotePrefix
    client.force_login(users.kashgar)
    assert client.get(reverse("audit:event_list")).status_code == 403


@pytest.mark.django_db
def test_admin_changes_are_recorded(client):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True, organization=None)
    client.force_login(superuser)
    target = UserFactory(username="to-change")
    url = reverse("admin:funds_user_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data.update(first_name="新名字", username="to-change", date_joined_0="2026-01-01", date_joined_1="00:00:00")
    client.post(url, data)
    assert AuditEvent.objects.filter(action="update", object_type="funds.user", detail__startswith="admin").exists()


@pytest.mark.django_db
def test_browser_housekeeping_requests_are_not_recorded_as_refusals(client, users):
    client.force_login(users.kashgar)
    assert client.get("/favicon.ico").status_code == 404
    assert not AuditEvent.objects.filter(action="authorization_failure").exists()
    assert 'rel="icon"' in client.get(reverse("funds:home")).content.decode()


@pytest.mark.django_db
def test_the_log_page_reads_as_sentences_with_links_and_field_names(client, users, funded_2024):
    import datetime
    from decimal import Decimal

    from funds.services.allocation import (
        PlanLineInput,
        allocation_plan_approve,
        allocation_plan_save,
        allocation_plan_submit,
    )
    from tests.factories import organization

    plan = allocation_plan_save(
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="2024年帮扶资金分配方案",
        plan_date=datetime.date(2024, 5, 20),
        lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("2000"))],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_approve(plan=plan, acting_user=users.finance2, comment="同意")
    client.force_login(users.auditor)
    page = client.get(reverse("audit:event_list"), {"object_type": "funds.allocationplan", "action": "approve"})
    html = page.content.decode()
    assert f"财务人员 finance-b 审批 资金分配方案“2024年帮扶资金分配方案” #{plan.pk}" in html
    assert f'href="{reverse("funds:plan_detail", kwargs={"pk": plan.pk})}"' in html
    assert "<th>状态</th><td>submitted</td><td>→ approved</td>" in html
    assert 'data-action="submit"' not in html  # the filters are exact drop-downs
    assert '<option value="funds.allocationplan" selected>资金分配方案</option>' in html
    # Every event of the plan, the save with its lines included, reads under field names.
    everything = client.get(reverse("audit:event_list"), {"object_type": "funds.allocationplan"}).content.decode()
    assert "<th>分配明细</th>" in everything and "<th>方案名称</th>" in everything
    assert client.get(reverse("audit:event_list")).status_code == 200


@pytest.mark.django_db
def test_the_log_export_reads_like_the_page_and_filters_by_the_actors_organisation(client, users):
    from audit.services import audit_record

    audit_record(action="update", actor=users.kashgar, obj=users.kashgar, changes={"email": ["", "a@b.cn"]})
    audit_record(action="login", actor=users.finance)
    client.force_login(users.auditor)
    kashgar = users.kashgar.organization_id
    page = client.get(reverse("audit:event_list"), {"organization": kashgar}).content.decode()
    assert 'data-action="update"' in page and 'data-action="login"' not in page
    response = client.get(reverse("audit:event_list"), {"organization": kashgar, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[1][:3] == ["序号", "时间（北京时间）", "事件"]
    assert len(rows) == 3
    assert rows[2][2].startswith("单位经办人 op-kashgar 修改 用户")
    assert rows[2][9] == "电子邮件地址：∅ → a@b.cn"
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2")


@pytest.mark.django_db
def test_a_role_in_the_log_is_named_in_chinese(client, users):
    from audit.services import audit_record

    audit_record(action="update", actor=users.finance, obj=users.kashgar, changes={"role": ["", "org_operator"]})
    client.force_login(users.auditor)
    page = client.get(reverse("audit:event_list")).content.decode()
    changes = page.split('id="audit-log"')[1]
    assert "单位经办人" in changes and "org_operator" not in changes
