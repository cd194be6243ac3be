"""Every view against anonymous / other organisation / own organisation / finance staff / auditor."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from funds.choices import FundingSource, PlanStatus, Role
from funds.models import AllocationPlan, FundsReceipt, PaymentStandard
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from tests.factories import organization, payment_kind

ANON, KASHGAR, HOTAN, FINANCE, AUDITOR = "anonymous", "kashgar", "hotan", "finance", "auditor"


@pytest.fixture
def world(funded_2024, users):
    kashgar_plan = allocation_plan_save(
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="喀什与和田分配方案",
        plan_date=datetime.date(2024, 5, 20),
        lines=[
            PlanLineInput(organization=organization("653100"), amount=Decimal("400000")),
            PlanLineInput(organization=organization("653200"), amount=Decimal("300000")),
        ],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=kashgar_plan, acting_user=users.finance)
    allocation_plan_approve(plan=kashgar_plan, acting_user=users.finance2)
    hotan_draft = allocation_plan_save(
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="和田补充方案",
        plan_date=datetime.date(2024, 8, 1),
        lines=[PlanLineInput(organization=organization("653200"), amount=Decimal("100000"))],
        acting_user=users.finance,
    )
    standard = PaymentStandard.objects.create(
        fiscal_year=funded_2024.fiscal_year,
        payment_kind=payment_kind("hardship", "living_aid"),
        organization=organization("653200"),
        standard_type="range",
        min_amount=Decimal("500"),
        max_amount=Decimal("6000"),
    )
    return {
        "appropriation": funded_2024.appropriation.pk,
        "approved_plan": kashgar_plan.pk,
        "hotan_draft": hotan_draft.pk,
        "hotan_standard": standard.pk,
        "users": users,
    }


def client_for(client, world, who: str):
    if who != ANON:
        client.force_login(getattr(world["users"], who))
    return client


# (url name, kwargs key, method, {who: expected status})
MATRIX = [
    ("funds:home", None, "get", {ANON: 302, KASHGAR: 200, FINANCE: 200, AUDITOR: 200}),
    ("funds:appropriation_list", None, "get", {ANON: 302, KASHGAR: 403, FINANCE: 200, AUDITOR: 200}),
    ("funds:appropriation_create", None, "get", {ANON: 302, KASHGAR: 403, FINANCE: 200, AUDITOR: 403}),
    ("funds:appropriation_create", None, "post", {ANON: 302, KASHGAR: 403, AUDITOR: 403}),
    ("funds:appropriation_detail", "appropriation", "get", {ANON: 302, KASHGAR: 404, FINANCE: 200, AUDITOR: 200}),
    ("funds:appropriation_detail", "appropriation", "post", {ANON: 302, KASHGAR: 404, AUDITOR: 403}),
    ("funds:appropriation_edit", "appropriation", "get", {ANON: 302, KASHGAR: 404, FINANCE: 200, AUDITOR: 404}),
    ("funds:plan_list", None, "get", {ANON: 302, KASHGAR: 200, FINANCE: 200, AUDITOR: 200}),
    ("funds:plan_create", None, "get", {ANON: 302, KASHGAR: 403, FINANCE: 200, AUDITOR: 403}),
    ("funds:plan_detail", "approved_plan", "get", {ANON: 302, KASHGAR: 200, HOTAN: 200, FINANCE: 200, AUDITOR: 200}),
    ("funds:plan_detail", "hotan_draft", "get", {ANON: 302, KASHGAR: 404, HOTAN: 200, FINANCE: 200, AUDITOR: 200}),
    ("funds:plan_edit", "hotan_draft", "get", {ANON: 302, KASHGAR: 404, HOTAN: 404, FINANCE: 200, AUDITOR: 404}),
    ("funds:plan_submit", "hotan_draft", "post", {ANON: 302, KASHGAR: 404, HOTAN: 404, AUDITOR: 404}),
    ("funds:plan_approve", "hotan_draft", "post", {ANON: 302, KASHGAR: 404, HOTAN: 404, AUDITOR: 404}),
    ("funds:plan_return", "hotan_draft", "post", {ANON: 302, KASHGAR: 404, AUDITOR: 404}),
    ("funds:standard_list", None, "get", {ANON: 302, KASHGAR: 200, FINANCE: 200, AUDITOR: 200}),
    ("funds:standard_create", None, "get", {ANON: 302, KASHGAR: 403, FINANCE: 200, AUDITOR: 403}),
    ("funds:standard_edit", "hotan_standard", "get", {ANON: 302, KASHGAR: 404, HOTAN: 404, FINANCE: 200, AUDITOR: 404}),
]


@pytest.mark.parametrize(
    ("name", "key", "method", "who", "expected"),
    [(name, key, method, who, status) for name, key, method, table in MATRIX for who, status in table.items()],
)
def test_permission_matrix(client, world, name, key, method, who, expected):
    url = reverse(name, kwargs={"pk": world[key]} if key else None)
    response = getattr(client_for(client, world, who), method)(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))


def test_refused_writes_change_nothing(client, world):
    client_for(client, world, AUDITOR).post(
        reverse("funds:appropriation_detail", kwargs={"pk": world["appropriation"]}),
        {"source": "current_fiscal", "amount": "1", "received_on": "2024-04-01"},
    )
    client_for(client, world, KASHGAR).post(reverse("funds:plan_submit", kwargs={"pk": world["hotan_draft"]}))
    assert FundsReceipt.objects.count() == 1
    assert AllocationPlan.objects.get(pk=world["hotan_draft"]).status == PlanStatus.DRAFT


def test_operator_sees_only_their_own_line_of_a_plan(client, world):
    response = client_for(client, world, KASHGAR).get(
        reverse("funds:plan_detail", kwargs={"pk": world["approved_plan"]})
    )
    html = response.content.decode()
    assert "喀什地区" in html and "400,000.00" in html
    assert "和田地区" not in html and "300,000.00" not in html


def test_home_page_for_an_operator_lists_only_their_organisation(client, world):
    html = client_for(client, world, KASHGAR).get(reverse("funds:home") + "?year=2024").content.decode()
    assert "喀什地区" in html and "和田地区" not in html
    assert 'data-figure="budget"' not in html  # the federation's budget is not an operator's to see


def test_the_author_is_told_to_find_a_second_approver(client, world):
    users = world["users"]
    plan = AllocationPlan.objects.get(pk=world["hotan_draft"])
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    client.force_login(users.finance)
    response = client.post(reverse("funds:plan_approve", kwargs={"pk": plan.pk}), follow=True)
    assert "不能由编制人本人审批" in response.content.decode()
    assert AllocationPlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def figure(html: str, name: str, program: str) -> str:
    section = html.split(f'id="program-{program}"', 1)[1]
    return re.search(rf'data-figure="{name}">([^<]+)<', section).group(1)


class TestFinanceJourneyThroughTheForms:
    """Budget → receipt → plan (over, then fixed) → submit → approval by a second user → home totals."""

    def test_journey(self, client, users):
        client.force_login(users.finance)
        budget = {f"{kind}_{source}": "0" for kind in ("initial", "annual") for source in FundingSource}
        budget |= {"initial_current_fiscal": "1230000", "annual_current_fiscal": "1230000"}
        response = client.post(
            reverse("funds:appropriation_create"),
            {"program": 1, "year": "2024", "document": "新财预〔2024〕1号", **budget},
        )
        assert response.status_code == 302
        detail = response["Location"]

        over = client.post(detail, {"source": "current_fiscal", "amount": "1230000.01", "received_on": "2024-03-20"})
        assert "超过全年预算数" in over.content.decode()
        assert (
            client.post(
                detail, {"source": "current_fiscal", "amount": "1230000", "received_on": "2024-03-20"}
            ).status_code
            == 302
        )

        plan_data = {
            "program": 1,
            "fiscal_year": AllocationPlan._meta.get_field("fiscal_year").related_model.objects.get(year=2024).pk,
            "title": "2024年自治区专项帮扶资金分配方案",
            "plan_date": "2024-05-20",
            "lines-TOTAL_FORMS": "3",
            "lines-INITIAL_FORMS": "0",
            "lines-0-organization": organization("653100").pk,
            "lines-0-amount": "900000",
            "lines-1-organization": organization("653200").pk,
            "lines-1-amount": "400000",
        }
        refused = client.post(reverse("funds:plan_create"), plan_data)
        assert refused.status_code == 200
        assert "超过可分配资金" in refused.content.decode()
        assert "本方案最多可分配 1,230,000.00 元" in refused.content.decode()
        assert not AllocationPlan.objects.exists()

        created = client.post(reverse("funds:plan_create"), {**plan_data, "lines-1-amount": "330000"})
        plan = AllocationPlan.objects.get()
        assert created["Location"] == reverse("funds:plan_detail", kwargs={"pk": plan.pk})
        client.post(reverse("funds:plan_submit", kwargs={"pk": plan.pk}), {"version": plan.version})

        client.force_login(users.finance2)
        client.post(
            reverse("funds:plan_approve", kwargs={"pk": plan.pk}),
            {"version": AllocationPlan.objects.get(pk=plan.pk).version, "comment": "同意"},
        )
        assert AllocationPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

        html = client.get(reverse("funds:home") + "?year=2024").content.decode()
        assert figure(html, "budget", "hardship") == "1,230,000.00"
        assert figure(html, "received", "hardship") == "1,230,000.00"
        assert figure(html, "allocated", "hardship") == "1,230,000.00"
        assert figure(html, "left_to_allocate", "hardship") == "0.00"
        assert figure(html, "disbursed", "hardship") == "0.00"
        edit = client.get(reverse("funds:plan_edit", kwargs={"pk": plan.pk}))
        assert edit.status_code == 302  # approved plans are read-only


def test_chinese_by_default_and_english_on_request(client, users):
    client.force_login(users.finance)
    assert "资金总览" in client.get(reverse("funds:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("funds:home")).content.decode()
    assert "Fund overview" in html and "资金总览" not in html


def test_an_english_browser_still_gets_chinese_until_the_user_chooses(client, users):
    client.force_login(users.finance)
    html = client.get(reverse("funds:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "资金总览" in html


def test_a_second_budget_for_the_same_program_year_is_refused_in_chinese(client, world):
    client.force_login(world["users"].finance)
    budget = {f"{kind}_{source}": "0" for kind in ("initial", "annual") for source in FundingSource}
    response = client.post(reverse("funds:appropriation_create"), {"program": 1, "year": "2024", **budget})
    assert response.status_code == 200
    assert "该项目本年度的预算已录入" in response.content.decode()


def test_the_home_page_warns_while_a_budgeted_year_has_no_standards_or_approved_plan(client, funded_2024, users):
    client.force_login(users.finance)
    html = client.get(reverse("funds:home") + "?year=2024").content.decode()
    assert "2024年帮扶资金已有预算，但还没有补助标准" in html.split('id="todos"')[1].split("</section>")[0]
    assert "还没有已审批的分配方案" in html
    client.force_login(users.kashgar)  # an operator sees no budget, and no warning about it
    assert "还没有补助标准" not in client.get(reverse("funds:home") + "?year=2024").content.decode()


def test_administrators_land_on_their_own_work_not_on_a_money_dashboard(client, db):
    from tests.factories import UserFactory

    for username, role, landing in [
        ("sys", Role.SYSTEM_ADMIN, "/admin/"),
        ("sec", Role.SECURITY_ADMIN, "/users/"),
        ("aud-admin", Role.AUDIT_ADMIN, reverse("audit:event_list")),
    ]:
        client.force_login(UserFactory(username=username, role=role, is_staff=True))
        response = client.get(reverse("funds:home"))
        assert response.status_code == 302 and response["Location"] == landing, username


def test_a_form_sent_back_with_errors_replaces_its_history_entry(client, users):
    # app.js turns such a page's history entry into a plain GET, so Back from the next page shows the form, not the
    # browser's "resubmit the form?" page (tests/e2e checks it in Chromium).
    client.force_login(users.finance)
    failed = client.post(reverse("funds:appropriation_create"), {})
    assert failed.status_code == 200 and "data-post-response" in failed.content.decode()
    assert "data-post-response" not in client.get(reverse("funds:appropriation_create")).content.decode()


def test_a_saved_date_is_shown_in_the_browsers_date_box_when_the_form_is_opened_again(client, users, payroll):
    import datetime

    from evaluation.models import ProgramYearSettings
    from evaluation.services import program_year_input_save
    from funds.models import FiscalYear
    from tests.factories import program

    program_year_input_save(
        record=ProgramYearSettings(
            program=program("model_worker"),
            fiscal_year=FiscalYear.objects.get(year=2024),
            payment_deadline=datetime.date(2024, 12, 10),
            eligibility_date=datetime.date(2024, 10, 31),
        ),
        acting_user=users.finance,
    )
    client.force_login(users.finance)
    html = client.get(reverse("evaluation:year_inputs", args=["model_worker", 2024])).content.decode()
    # <input type="date"> shows only an ISO value; zh-hans' first input format (2024/12/10) would leave it empty.
    assert 'type="date" name="settings-payment_deadline" value="2024-12-10"' in html
