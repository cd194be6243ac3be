"""The allocation plans and the appropriations lists are built like every list (core.lists): filters, sort, a 合计
summed by the database, and the formatted export of exactly what is filtered."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.urls import reverse

from funds.choices import FundingSource, PlanStatus
from funds.services.allocation import PlanLineInput, allocation_plan_save
from funds.services.budget import appropriation_save, funds_receipt_create
from funds.services.fiscal_years import fiscal_year_get_or_create
from tests.factories import organization, program


def rows_of(client, url: str) -> list[str]:
    table = client.get(url).context["table"]
    return [row.record for row in table.paginated_rows]


def test_plans_filter_by_status_and_an_operator_sees_only_its_own_lines_amount(client, users, payroll):
    year = fiscal_year_get_or_create(year=2024)
    allocation_plan_save(
        program=program("model_worker"),
        fiscal_year=year,
        title="2024 劳模补充方案",
        plan_date=datetime.date(2024, 9, 1),
        lines=[PlanLineInput(organization=organization("653200"), amount=Decimal("30000"))],
        acting_user=users.finance,
    )
    client.force_login(users.finance)
    url = reverse("funds:plan_list")
    assert [plan.title for plan in rows_of(client, f"{url}?status={PlanStatus.DRAFT}")] == ["2024 劳模补充方案"]
    approved = rows_of(client, f"{url}?status={PlanStatus.APPROVED}&program={program('model_worker').pk}")
    assert [plan.visible_total for plan in approved] == [Decimal("150000.00")]
    page = client.get(f"{url}?program={program('model_worker').pk}")
    assert page.context["totals"] == {"visible_total": Decimal("180000.00")}
    # 喀什's operator sees the approved plans with 喀什's own line only.
    client.force_login(users.kashgar)
    seen = {plan.title: plan.visible_total for plan in rows_of(client, url)}
    assert seen == {"2024 model_worker": Decimal("100000.00"), "2024 hardship": Decimal("50000.00")}


def test_the_plans_export_has_the_filtered_rows_and_their_total(client, users, payroll):
    client.force_login(users.finance)
    response = client.get(reverse("funds:plan_list") + f"?program={program('model_worker').pk}&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[:6] == ["年度", "项目", "方案名称", "方案日期", "批复文号", "分配金额（元）"]
    assert sheet.cell(3, 3).value == "2024 model_worker" and sheet.cell(3, 6).value == Decimal("150000")
    assert sheet.cell(3, 7).value == "已审批"
    assert [sheet.cell(4, 1).value, sheet.cell(4, 6).value] == ["合计", Decimal("150000")]
    assert sheet.cell(3, 6).number_format == "#,##0.00"


def test_appropriations_show_budget_received_and_rate_with_a_total(client, users, funded_2024):
    year_2025 = fiscal_year_get_or_create(year=2025)
    appropriation = appropriation_save(
        program=program("hardship"),
        fiscal_year=year_2025,
        budgets={FundingSource.CURRENT_FISCAL: (Decimal("1000000"), Decimal("1200000"))},
        acting_user=users.finance,
    )
    funds_receipt_create(
        appropriation=appropriation,
        source=FundingSource.CURRENT_FISCAL,
        amount=Decimal("900000"),
        received_on=datetime.date(2025, 4, 1),
        acting_user=users.finance,
    )
    client.force_login(users.finance)
    url = reverse("funds:appropriation_list")
    page = client.get(url)
    assert page.context["totals"] == {
        "initial_budget": Decimal("2230000.00"),
        "annual_budget": Decimal("2430000.00"),
        "received": Decimal("2130000.00"),
    }
    html = page.content.decode()
    assert "75.00%" in html and "100.00%" in html
    only_2025 = rows_of(client, f"{url}?fiscal_year={year_2025.pk}")
    assert [(a.annual_budget, a.received) for a in only_2025] == [(Decimal("1200000.00"), Decimal("900000.00"))]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"{url}?fiscal_year={year_2025.pk}&export=xlsx").content)
    ).active
    assert [cell.value for cell in sheet[2]][-1] == "到位率"
    assert sheet.cell(3, 7).value == Decimal("0.75") and sheet.cell(3, 7).number_format == "0.00%"


def test_receipts_are_listed_across_appropriations_with_filters_and_a_total(client, users, payroll):
    client.force_login(users.finance)
    url = reverse("funds:receipt_list")
    page = client.get(url)
    everything = page.context["totals"]["amount"]
    assert everything == Decimal("200000") + Decimal("10000") + Decimal("50000")
    only_other = rows_of(client, f"{url}?source={FundingSource.OTHER}")
    assert [(r.appropriation.program.code, r.amount) for r in only_other] == [("model_worker", Decimal("10000.00"))]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"{url}?program={program('hardship').pk}&export=xlsx").content)
    ).active
    assert [cell.value for cell in sheet[2]][:5] == ["到位日期", "年度", "项目", "资金来源", "到位金额（元）"]
    assert sheet.cell(sheet.max_row, 1).value == "合计" and sheet.cell(sheet.max_row, 5).value == Decimal("50000")
    client.force_login(users.kashgar)
    assert client.get(url).status_code == 403
