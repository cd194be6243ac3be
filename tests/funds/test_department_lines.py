"""The department's other budget lines: entered by finance staff in the browser, refused when inconsistent."""

from decimal import Decimal

import pytest
from django.urls import reverse

from funds.models import DepartmentBudgetLine

URL = reverse("funds:department_line_create")
LINE = {"year": "2022", "name": "人员工资、医保、访惠聚经费", "initial_budget": "6321100", "annual_budget": "6321100"}


@pytest.mark.django_db
def test_finance_staff_enter_a_line_and_see_it_listed(client, users):
    client.force_login(users.finance)
    response = client.post(URL, LINE | {"executed": "6321100.00", "note": ""}, follow=True)
    assert "部门其他预算支出已保存" in response.content.decode()
    line = DepartmentBudgetLine.objects.get()
    assert (line.fiscal_year.year, line.executed, line.created_by) == (2022, Decimal("6321100.00"), users.finance)
    assert "人员工资、医保、访惠聚经费" in client.get(reverse("funds:appropriation_list")).content.decode()


@pytest.mark.django_db
def test_execution_past_the_budget_is_refused_at_the_field(client, users):
    client.force_login(users.finance)
    response = client.post(URL, LINE | {"executed": "7000000", "note": ""})
    assert response.status_code == 200
    assert "全年执行数不能超过全年预算数" in response.content.decode()
    assert not DepartmentBudgetLine.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [(None, 302), ("kashgar", 403), ("auditor", 403)])
def test_only_finance_staff_may_enter_lines(client, users, who, expected):
    if who:
        client.force_login(getattr(users, who))
    assert client.post(URL, LINE | {"executed": "1", "note": ""}).status_code == expected
    assert not DepartmentBudgetLine.objects.exists()
