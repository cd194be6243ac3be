"""回盘 and reconciliation: the bank's result file is read by its template, every row checked against the batch,
previewed, then applied all at once; a failure is a 退票 (reversed in the ledger, never deleted), re-issued (补发, a new
payment linked to the returned one) or recovered (追回); the batch reconciles to the cent."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from funds.choices import DisbursementStatus
from funds.models import Disbursement, DisbursementReversal
from imports.bank_results import bank_result_upload
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome, ResultFileStatus
from payouts.selectors import batch_reconciliation
from payouts.services import (
    bank_batch_prepare,
    bank_batch_release,
    bank_line_recover,
    bank_line_reissue,
    bank_result_apply,
    unsent_payments,
)
from tests.factories import organization, program
from tests.payouts.conftest import card_number
from tests.spreadsheets import xlsx

HEADERS = ["序号", "账号", "户名", "金额", "处理结果", "失败原因", "入账日期"]


@pytest.fixture
def released(users, payroll, bank_payments, templates):
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
    return bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)


def result_rows(batch, failures: dict[int, str]) -> list[list]:
    rows = []
    for line in batch.lines.order_by("sequence"):
        reason = failures.get(line.sequence)
        rows.append(
            [
                line.sequence,
                line.account,
                line.payee_name,
                "1000.00",
                "失败" if reason else "成功",
                reason or "",
                "2024-12-02",
            ]
        )
    return rows


def upload(users, batch, templates, rows, user=None):
    return bank_result_upload(
        batch=batch,
        template=templates["generic-result"],
        file_name="回盘.xlsx",
        data=xlsx(HEADERS, rows),
        acting_user=user or users.finance,
    )


def test_the_result_file_settles_the_batch_and_reverses_what_the_bank_returned(users, released, templates):
    result = upload(users, released, templates, result_rows(released, {2: "户名不符", 4: "账户冻结"}))
    assert result.status == ResultFileStatus.PREVIEWED and result.errors == []
    assert (result.succeeded_count, result.succeeded_amount) == (3, Decimal("3000.00"))
    assert (result.failed_count, result.failed_amount) == (2, Decimal("2000.00"))
    # The preview writes nothing.
    assert not released.lines.exclude(outcome=LineOutcome.PENDING).exists()
    assert not DisbursementReversal.objects.exists()

    bank_result_apply(result=result, acting_user=users.finance)
    released.refresh_from_db()
    assert released.status == BankBatchStatus.SETTLED
    failed = released.lines.get(sequence=2)
    assert failed.outcome == LineOutcome.FAILED and failed.bank_reason == "户名不符"
    assert failed.follow_up == FollowUp.OPEN
    payment = Disbursement.objects.get(pk=failed.disbursement_id)
    assert payment.status == DisbursementStatus.REVERSED
    assert DisbursementReversal.objects.get(disbursement=payment).reason == "退票：户名不符"
    succeeded = released.lines.get(sequence=1)
    assert succeeded.settled_on == datetime.date(2024, 12, 2)
    assert Disbursement.objects.get(pk=succeeded.disbursement_id).status == DisbursementStatus.POSTED

    figures = batch_reconciliation(released)
    assert (figures.sent.count, figures.sent.amount) == (5, Decimal("5000.00"))
    assert figures.succeeded.amount + figures.failed.amount == figures.sent.amount
    assert (figures.open.count, figures.open.amount) == (2, Decimal("2000.00")) and figures.balanced
    with pytest.raises(ValidationError, match="不能入账"):
        bank_result_apply(result=result, acting_user=users.finance)


def test_a_returned_payment_is_re_issued_to_the_corrected_account_or_recovered(users, payroll, released, templates):
    result = upload(users, released, templates, result_rows(released, {2: "户名不符", 4: "账户冻结"}))
    bank_result_apply(result=result, acting_user=users.finance)
    returned, frozen = released.lines.get(sequence=2), released.lines.get(sequence=4)
    with pytest.raises(ValidationError, match="校验位"):
        bank_line_reissue(
            line=returned,
            bank_account="6222020000000000001",
            paid_on=datetime.date(2024, 12, 10),
            acting_user=users.finance,
        )
    with pytest.raises(PermissionDenied):
        bank_line_reissue(
            line=returned,
            bank_account=card_number("622848001234567890"),
            paid_on=datetime.date(2024, 12, 10),
            acting_user=users.kashgar,
        )
    corrected = card_number("622848001234567890")
    reissue = bank_line_reissue(
        line=returned, bank_account=corrected, paid_on=datetime.date(2024, 12, 10), acting_user=users.finance
    )
    original = returned.disbursement
    # A new payment of the same person, kind and amount, linked to the returned one: the once-a-year rule allows it.
    assert reissue.reissue_of_id == original.pk and reissue.status == DisbursementStatus.POSTED
    assert reissue.model_worker_id == original.model_worker_id and reissue.amount == original.amount
    assert reissue.bank_account == corrected and reissue.account_masked.endswith(corrected[-4:])
    from audit.chain import seal

    stored = Disbursement.objects.get(pk=reissue.pk)
    assert stored.seal == seal(stored.seal_content()) and stored.seal_content()["reissue_of_id"] == original.pk
    # It waits for the next batch.
    unsent = unsent_payments(
        user=users.finance,
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
    )
    assert list(unsent) == [reissue]
    with pytest.raises(ValidationError, match="待处理的退票"):
        bank_line_reissue(
            line=returned, bank_account=corrected, paid_on=datetime.date(2024, 12, 10), acting_user=users.finance
        )
    with pytest.raises(ValidationError, match="追回说明"):
        bank_line_recover(line=frozen, note=" ", acting_user=users.finance)
    bank_line_recover(line=frozen, note="对象已去世，资金退回专户", acting_user=users.finance)

    figures = batch_reconciliation(released)
    assert figures.failed.amount == figures.reissued.amount + figures.recovered.amount + figures.open.amount
    assert (figures.reissued.count, figures.recovered.count, figures.open.count) == (1, 1, 0)
    assert figures.recovered.amount == Decimal("1000.00") and figures.balanced


def test_every_row_that_does_not_match_the_batch_is_an_error_and_nothing_is_applied(users, released, templates):
    rows = result_rows(released, {})
    rows[0][3] = "999.99"  # amount differs
    rows[1][1] = card_number("622202000000777777")  # an account not in the batch
    rows[2][4] = "处理中"  # a status the template does not know
    rows.append(list(rows[3]))  # the same payment twice
    rows.append([99, rows[4][1], "赵六", "1000.00", "成功", "", ""])  # a sequence the batch has not
    result = upload(users, released, templates, rows)
    assert result.status == ResultFileStatus.REFUSED and result.outcomes == []
    errors = {(error["row"], error["column"]): error["message"] for error in result.errors}
    assert "与本批次第 1 笔代发的 1,000.00 元不符" in errors[(2, "金额")]
    assert "与本批次第 2 笔的账号" in errors[(3, "账号")]
    assert "处理结果“处理中”不是本模板认可的结果" in errors[(4, "处理结果")]
    assert "与第 5 行是同一笔代发" in errors[(7, "")]
    assert "本批次没有第 99 笔" in errors[(8, "序号")]
    with pytest.raises(ValidationError):
        bank_result_apply(result=result, acting_user=users.finance)
    assert not released.lines.exclude(outcome=LineOutcome.PENDING).exists()


def test_without_a_serial_rows_match_by_account_and_amount(users, released, templates):
    rows = [row[1:] for row in result_rows(released, {3: "销户"})]
    result = bank_result_upload(
        batch=released,
        template=templates["generic-result"],
        file_name="回盘.xlsx",
        data=xlsx(HEADERS[1:], rows[:4]),  # the bank reports four payments now, the fifth later
        acting_user=users.finance,
    )
    assert result.status == ResultFileStatus.PREVIEWED and result.failed_count == 1
    bank_result_apply(result=result, acting_user=users.finance)
    released.refresh_from_db()
    assert released.status == BankBatchStatus.RELEASED  # one payment still awaits the bank
    assert batch_reconciliation(released).pending.count == 1
    again = bank_result_upload(
        batch=released,
        template=templates["generic-result"],
        file_name="回盘2.xlsx",
        data=xlsx(HEADERS[1:], rows[3:]),
        acting_user=users.finance,
    )
    assert again.status == ResultFileStatus.REFUSED and "已登记过回盘结果" in again.errors[0]["message"]


def test_a_result_needs_a_released_batch_and_finance(users, payroll, released, templates):
    with pytest.raises(PermissionDenied):
        upload(users, released, templates, result_rows(released, {}), user=users.kashgar)
    with pytest.raises(PermissionDenied):
        upload(users, released, templates, result_rows(released, {}), user=users.hotan)
