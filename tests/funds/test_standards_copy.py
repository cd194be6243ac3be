"""A new year starts from last year's payment standards in one action, with a preview; nothing is overwritten."""

from decimal import Decimal

from django.urls import reverse

from audit.models import AuditEvent
from funds.models import PaymentStandard
from funds.services.fiscal_years import fiscal_year_get_or_create
from tests.factories import payment_kind

URL = reverse("funds:standard_copy")


def test_finance_copies_last_years_standards_keeping_what_the_new_year_has(client, users, payroll):
    new_year = fiscal_year_get_or_create(year=2025)
    PaymentStandard.objects.create(
        fiscal_year=new_year,
        payment_kind=payment_kind("model_worker", "spring_festival"),
        standard_type="fixed",
        fixed_amount=Decimal("1200"),
    )
    client.force_login(users.finance)
    preview = client.get(URL, {"from": 2024, "to": 2025})
    html = preview.content.decode()
    assert "将新建 2 项" in html and "目标年度已有的 1 项保持不变" in html
    assert PaymentStandard.objects.filter(fiscal_year=new_year).count() == 1  # a preview writes nothing
    response = client.post(URL, {"from": 2024, "to": 2025}, follow=True)
    assert "已把 2024 年的 2 项补助标准复制到 2025 年" in response.content.decode()
    copied = PaymentStandard.objects.filter(fiscal_year=new_year)
    assert copied.count() == 3
    assert copied.get(payment_kind__code="spring_festival").fixed_amount == Decimal("1200.00")  # kept, not overwritten
    living = copied.get(payment_kind__code="living_hardship")
    assert (living.min_amount, living.max_amount) == (Decimal("3000.00"), Decimal("12000.00"))
    assert AuditEvent.objects.filter(detail="copied from 2024").count() == 2
    # Copying again creates nothing more.
    client.post(URL, {"from": 2024, "to": 2025})
    assert PaymentStandard.objects.filter(fiscal_year=new_year).count() == 3


def test_operators_cannot_copy_standards(client, users, payroll):
    fiscal_year_get_or_create(year=2025)
    client.force_login(users.kashgar)
    assert client.post(URL, {"from": 2024, "to": 2025}).status_code == 403
    assert not PaymentStandard.objects.filter(fiscal_year__year=2025).exists()


def test_the_standards_list_filters_and_exports_amounts_as_numbers(client, users, payroll):
    import io

    from openpyxl import load_workbook

    from tests.factories import program

    client.force_login(users.finance)
    url = reverse("funds:standard_list")
    page = client.get(url, {"program": program("hardship").pk}).content.decode()
    assert "共 1 条" in page  # the one hardship standard of the payroll year
    sheet = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    headers = [c.value for c in sheet[2]]
    assert "最低金额（元）" in headers and "标准" not in headers
    rows = [dict(zip(headers, r, strict=True)) for r in sheet.iter_rows(min_row=3, values_only=True)]
    living = next(r for r in rows if r["发放类型"] == "生活困难补助金")
    assert (living["最低金额（元）"], living["最高金额（元）"]) == (3000, 12000)
    assert sheet.cell(row=3, column=headers.index("最低金额（元）") + 1).number_format == "#,##0.00"


def test_years_in_an_export_are_not_grouped_like_amounts(client, users, payroll):
    import io

    from openpyxl import load_workbook

    client.force_login(users.finance)
    sheet = load_workbook(io.BytesIO(client.get(reverse("funds:standard_list"), {"export": "xlsx"}).content)).active
    assert sheet["A2"].value == "年度"
    assert sheet["A3"].value == 2024 and sheet["A3"].number_format == "0"  # printed 2024, not 2,024


def test_the_same_action_copies_last_years_indicator_targets_and_keeps_an_existing_system(client, users, payroll):
    from evaluation.models import Indicator
    from evaluation.services import indicator_save, indicator_system_start
    from funds.models import FiscalYear
    from tests.factories import program

    year_2024 = FiscalYear.objects.get(year=2024)
    for code in ("model_worker", "hardship"):
        indicator_system_start(program=program(code), fiscal_year=year_2024, acting_user=users.finance)
    coverage = Indicator.objects.filter(program=program("model_worker"), fiscal_year=year_2024).first()
    coverage.target_value, coverage.manual_text = coverage.target_value - 1, "2024 的完成情况"
    indicator_save(indicator=coverage, acting_user=users.finance)
    new_year = fiscal_year_get_or_create(year=2025)
    indicator_system_start(program=program("hardship"), fiscal_year=new_year, acting_user=users.finance)
    kept = set(Indicator.objects.filter(program=program("hardship"), fiscal_year=new_year).values_list("pk", flat=True))
    client.force_login(users.finance)
    html = client.get(URL, {"from": 2024, "to": 2025}).content.decode()
    also = html.split('id="also-copied"')[1].split("</ul>")[0]
    assert "劳模补助：复制 2024 年的" in also and "帮扶" not in also
    response = client.post(URL, {"from": 2024, "to": 2025}, follow=True)
    assert "并复制了劳模补助的绩效指标" in response.content.decode()
    copied = Indicator.objects.filter(program=program("model_worker"), fiscal_year=new_year)
    assert copied.count() == Indicator.objects.filter(program=program("model_worker"), fiscal_year=year_2024).count()
    same = copied.get(name=coverage.name)
    assert same.target_value == coverage.target_value and same.manual_text == ""  # the target, never the result
    assert (
        set(Indicator.objects.filter(program=program("hardship"), fiscal_year=new_year).values_list("pk", flat=True))
        == kept
    )
