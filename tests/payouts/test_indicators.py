"""The indicators take the bank's word: 按时发放率 counts the day the money arrived (the result file's 入账日期), and
发放方式合规率 counts only what the bank confirmed reached the payee's own account."""

import datetime
from decimal import Decimal

import pytest

from evaluation.indicators import IndicatorContext, on_time_rate, payment_method_compliance
from evaluation.models import ProgramYearSettings
from evaluation.services import program_year_input_save
from imports.bank_results import bank_result_upload
from payouts.services import bank_batch_prepare, bank_batch_release, bank_result_apply
from tests.factories import organization, program
from tests.payouts.test_bank_results import HEADERS, result_rows
from tests.spreadsheets import xlsx


@pytest.fixture
def context(users, payroll, bank_payments):
    program_year_input_save(
        record=ProgramYearSettings(
            program=program("model_worker"),
            fiscal_year=payroll.year,
            payment_deadline=datetime.date(2024, 12, 10),
            eligibility_date=datetime.date(2024, 11, 25),
        ),
        acting_user=users.finance,
    )
    return lambda: IndicatorContext(program("model_worker"), payroll.year)


def test_a_payment_dated_on_time_that_the_bank_credited_late_is_late(users, payroll, templates, context):
    # Every payment is dated 2024-11-28, before the deadline: on time as long as nothing went to the bank.
    assert on_time_rate(context()).value == Decimal("100.00")
    batch = bank_batch_prepare(
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
        template=templates["generic-batch"],
        purpose="",
        payer_name="喀什地区总工会",
        payer_account="3006000000001234567",
        acting_user=users.finance,
    )
    batch = bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    # Sent and not yet confirmed: neither arrived nor confirmed to the payee's account.
    assert on_time_rate(context()).value == Decimal("0.00")
    assert payment_method_compliance(context()).value == Decimal("0.00")
    rows = result_rows(batch, {5: "账户冻结"})
    rows[0][6] = "2024-12-12"  # credited two days after the deadline
    rows[1][6] = ""  # the bank gave no date: the payment's own date stands
    result = bank_result_upload(
        batch=batch,
        template=templates["generic-result"],
        file_name="回盘.xlsx",
        data=xlsx(HEADERS, rows),
        acting_user=users.finance,
    )
    bank_result_apply(result=result, acting_user=users.finance)
    ctx = context()
    # Four payments stand (the fifth was returned and reversed); three arrived by 12-10.
    on_time = on_time_rate(ctx)
    assert (on_time.numerator, on_time.denominator, on_time.value) == (3, 4, Decimal("75.00"))
    compliance = payment_method_compliance(ctx)
    assert (compliance.numerator, compliance.denominator) == (4, 4)
    assert ctx.on_time_payments().count() == 3 and ctx.compliant_payments().count() == 4
