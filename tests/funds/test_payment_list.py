"""The payments list: scoped, filtered, sorted, paginated, and exported as a formatted workbook of what is filtered."""

import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from funds.models import Disbursement
from imports.services import import_batch_confirm
from tests.factories import LivingSurveyFactory, ModelWorkerFactory, organization
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload

URL = reverse("funds:payment_list")


@pytest.fixture
def paid(users, payroll):
    """喀什 paid its five workers 1,000 元 each; 和田 paid one of its own 1,000 元."""
    kashgar = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers, 1)]), users.kashgar, payroll
    )
    import_batch_confirm(batch=kashgar, acting_user=users.kashgar)
    hotan_worker = ModelWorkerFactory(name="和田劳模", organization=organization("653200"))
    LivingSurveyFactory(model_worker=hotan_worker, fiscal_year=payroll.year)
    hotan = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(hotan_worker)]), users.hotan, payroll, org="653200", name="h.xlsx"
    )
    import_batch_confirm(batch=hotan, acting_user=users.hotan)
    return kashgar, hotan, hotan_worker


def rows_of(response) -> list:
    return list(response.context["table"].page.object_list.data)


def test_an_operator_sees_only_the_payments_of_their_union(client, users, payroll, paid):
    client.force_login(users.kashgar)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "劳模0" in html and "和田劳模" not in html
    assert "共 5 条" in html and "金额（元）合计 5,000.00" in html
    assert '<span class="status status-posted">已入账</span>' in html
    assert payroll.workers[0].id_number not in html  # masked
    client.force_login(users.finance)
    assert "共 6 条" in client.get(URL).content.decode()


def test_filters_search_and_sort(client, users, payroll, paid):
    _kashgar, hotan, _hotan_worker = paid
    client.force_login(users.finance)
    assert "共 1 条" in client.get(URL, {"batch": hotan.pk}).content.decode()
    assert "共 1 条" in client.get(URL, {"q": "和田"}).content.decode()
    # A whole ID number finds its person through the digest, and leaves the address bar at once.
    number = payroll.workers[2].id_number
    redirect = client.get(URL, {"q": number})
    assert redirect.status_code == 302 and number not in redirect["Location"]
    by_id = client.get(redirect["Location"])
    assert [d.model_worker_id for d in rows_of(by_id)] == [payroll.workers[2].pk]
    assert number not in by_id.content.decode()
    assert "共 5 条" in client.get(URL, {"paying_organization": organization("653100").pk}).content.decode()
    ordered = rows_of(client.get(URL, {"sort": "paying_organization"}))
    codes = [d.paying_organization.code for d in ordered]
    assert codes == sorted(codes)
    page = client.get(URL, {"per_page": 25, "page": 1})
    assert page.context["per_page"] == 25


def test_the_export_is_formatted_and_holds_exactly_what_is_filtered(client, users, payroll, paid):
    client.force_login(users.finance)
    response = client.get(URL, {"paying_organization": organization("653100").pk, "export": "xlsx"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "发放明细" in sheet["A1"].value and "个人信息" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers[:3] == ["发放日期", "姓名", "身份证号（脱敏）"]
    assert sheet["A2"].font.bold and sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    amount_col = headers.index("金额（元）") + 1
    data = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    body, total = data[:-1], data[-1]
    assert len(body) == 5 and total[0] == "合计"
    expected = Disbursement.objects.filter(paying_organization__code="653100").aggregate(t=Sum("amount"))["t"]
    assert Decimal(str(total[amount_col - 1])) == expected == Decimal("5000.00")
    assert sheet.cell(row=3, column=amount_col).number_format == "#,##0.00"
    text = str(data)
    assert all(w.id_number not in text for w in payroll.workers)
    assert sheet.column_dimensions["B"].width >= 8
    assert sheet.page_setup.orientation == "landscape"


def test_a_batch_page_links_to_its_payments(client, users, payroll, paid):
    kashgar, _hotan, _worker = paid
    client.force_login(users.kashgar)
    page = client.get(reverse("imports:import_detail", args=[kashgar.pk])).content.decode()
    assert f'href="{URL}?batch={kashgar.pk}"' in page


def test_the_export_is_chinese_whatever_the_interface_language(client, users, payroll, paid):
    client.force_login(users.finance)
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    page = client.get(URL).content.decode()
    assert "Payments" in page
    response = client.get(URL, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("发放明细")
    assert [c.value for c in sheet[2]][:2] == ["发放日期", "姓名"]
    assert "%E5%8F%91%E6%94%BE%E6%98%8E%E7%BB%86" in response["Content-Disposition"]  # 发放明细-….xlsx
