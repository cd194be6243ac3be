"""The overview puts money where it came from: 部门预算 paid by a prefecture does not use up its fiscal allocation."""

from decimal import Decimal

from funds.models import FiscalYear
from funds.selectors import fund_flow
from imports.services import import_batch_confirm
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload


def test_a_prefectures_department_budget_payments_stay_outside_its_allocation(client, users, payroll):
    fiscal = [spring_row(payroll.workers[0], 1)]
    department = [
        spring_row(w, i, **{"发放类型": "生活困难补助金", "金额（元）": 3000, "资金来源": "其他资金"})
        for i, w in enumerate(payroll.workers[1:3], start=2)
    ]
    import_batch_confirm(batch=upload(xlsx(DISBURSEMENT_HEADERS, fiscal + department), users.kashgar, payroll),
                         acting_user=users.kashgar)  # fmt: skip
    (flow,) = [f for f in fund_flow(user=users.finance, fiscal_year=FiscalYear.objects.get(year=2024))
               if f.program.code == "model_worker"]  # fmt: skip
    kashgar = next(row for row in flow.organizations if row.organization.code == "653100")
    assert (kashgar.allocated, kashgar.disbursed, kashgar.disbursed_from_plans) == (
        Decimal("100000"),
        Decimal("7000"),
        Decimal("1000"),
    )
    assert kashgar.left_to_disburse == Decimal("99000")  # not 93,000: the 6,000 came from the department budget
    assert flow.disbursed_outside_plans == Decimal("6000")
    assert flow.left_to_disburse == Decimal("149000")  # 150,000 allocated − 1,000 paid from it
    assert flow.left_to_allocate == Decimal("54000")  # 210,000 received − 150,000 allocated − 6,000 outside plans

    client.force_login(users.finance)
    page = client.get("/?year=2024").content.decode()
    assert 'data-figure="disbursed_outside_plans">6,000.00<' in page
    assert "negative" not in page
