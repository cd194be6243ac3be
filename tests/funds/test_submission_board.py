"""报送进度: one row per organisation, the home page's figures, states, scoped and exported."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from funds.selectors import SubmissionState, fund_flow, submission_board
from funds.services.disbursements import disbursement_create
from tests.factories import disbursement_fields, payment_kind

BOARD = reverse("funds:submission_board")


def _pay(users, payroll, count: int) -> None:
    for worker in payroll.workers[:count]:
        disbursement_create(
            acting_user=users.kashgar,
            **disbursement_fields(
                worker,
                payment_kind("model_worker", "spring_festival"),
                payroll.year,
                paid_on=datetime.date(2024, 11, 20),
            ),
        )


def test_each_union_has_its_state_and_the_home_pages_figures(users, payroll):
    _pay(users, payroll, 3)
    rows = {
        row.organization.code: row
        for row in submission_board(user=users.finance, program=payroll.program, fiscal_year=payroll.year)
    }
    kashgar, hotan = rows["653100"], rows["653200"]
    assert (kashgar.allocated, kashgar.disbursed_from_plans, kashgar.payment_rows) == (100000, 3000, 3)
    assert kashgar.state == SubmissionState.PARTIAL and hotan.state == SubmissionState.NOT_SUBMITTED
    assert (kashgar.roster, kashgar.surveys) == (5, 5)
    flow = next(f for f in fund_flow(user=users.finance, fiscal_year=payroll.year) if f.program == payroll.program)
    home = {row.organization.code: row for row in flow.organizations}
    assert home["653100"].disbursed == kashgar.disbursed and home["653100"].allocated == kashgar.allocated


def test_an_operator_sees_only_its_own_row_and_the_export_sums(client, users, payroll):
    _pay(users, payroll, 2)
    client.force_login(users.kashgar)
    page = client.get(BOARD, {"year": 2024, "program": "model_worker"}).content.decode()
    assert "喀什" in page and "和田" not in page and "部分" in page
    client.force_login(users.finance)
    response = client.get(BOARD, {"year": 2024, "program": "model_worker", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in values if row and row[0] == "单位")
    total = next(row for row in values if row and row[0] == "合计")
    assert total[header.index("已分配（元）")] == 150000
    assert total[header.index("财政资金已发放（元）")] == 2000
    assert any(row[0] == "和田地区" and row[header.index("状态")] == "未报送" for row in values)
