"""The demo's bank part of paying: 喀什's 2024 model-worker payments go to the bank in one batch; its result file
returns five (three re-issued to corrected accounts, one recovered, one still open); the re-issues go out in a second
batch (the ICBC layout), which the bank pays the next day.

The seeds' figures stay as they are: the re-issues replace three returned payments one for one, and the two payments
that stay unpaid are two extra 生活困难补助金 the demo adds for the purpose (reversed, they count nowhere)."""

import datetime
from decimal import Decimal

from openpyxl import Workbook

from core.exports import workbook_bytes
from funds.choices import FundingSource, PaymentMethod
from funds.models import FiscalYear, Organization, PaymentKind, Program, User
from funds.services.disbursements import disbursement_create
from imports.bank_results import bank_result_upload
from payouts.models import BankBatch, BankFileTemplate
from payouts.precheck import luhn_check_digit
from payouts.services import (
    bank_batch_prepare,
    bank_batch_release,
    bank_line_recover,
    bank_line_reissue,
    bank_result_apply,
)

PAYER = {
    "payer_name": "喀什地区总工会",
    "payer_account": "3006123409000123456",
    "payer_bank": "中国工商银行喀什地区分行",
}
RESULT_HEADERS = ["序号", "账号", "户名", "金额", "处理结果", "失败原因", "入账日期"]
REISSUED_REASONS = ["户名与账号不符", "卡已挂失", "账户已销户"]
RECOVERED_REASON, OPEN_REASON = "账户冻结", "账户已销户"
RECOVERY_NOTE = "经核实该劳模已迁居区外、暂停享受待遇，资金退回专户"


def _corrected_account(n: int) -> str:
    body = f"62220218{n:010d}"
    return body + luhn_check_digit(body)


def _result_file(batch: BankBatch, failures: dict[int, str]) -> bytes:
    """The bank's 回盘 as a bank sends it: every line, 成功 with its 入账日期 or 失败 with the reason."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(RESULT_HEADERS)
    for line in batch.lines.select_related("disbursement").order_by("sequence"):
        reason = failures.get(line.sequence)
        settled = min(line.disbursement.paid_on + datetime.timedelta(days=1), datetime.date(2024, 12, 10))
        sheet.append(
            [
                line.sequence,
                line.account,
                line.payee_name,
                f"{line.amount:.2f}",
                "失败" if reason else "成功",
                reason or "",
                "" if reason else settled.isoformat(),
            ]
        )
    return workbook_bytes(workbook)


def bank_payouts(year: FiscalYear, program: Program, finance: User, checker: User) -> None:
    kashgar = Organization.objects.get(code="653100")
    spring = PaymentKind.objects.get(program=program, code="spring_festival")
    living = PaymentKind.objects.get(program=program, code="living_hardship")
    spring_paid = spring.disbursement_set.filter(fiscal_year=year, paying_organization=kashgar).order_by("pk")
    extras = [
        disbursement_create(
            acting_user=finance,
            beneficiary=payment.model_worker,
            payment_kind=living,
            fiscal_year=year,
            amount=Decimal("3000.00"),
            paid_on=datetime.date(2024, 11, 28),
            payment_method=PaymentMethod.BANK_AGENCY,
            paying_organization=kashgar,
            funding_source=FundingSource.CURRENT_FISCAL,
            bank_account=payment.model_worker.bank_account,
        )
        for payment in spring_paid.select_related("model_worker")[:2]
    ]
    first = bank_batch_prepare(
        organization=kashgar,
        program=program,
        fiscal_year=year,
        template=BankFileTemplate.objects.get(code="generic-batch"),
        purpose="",
        acting_user=finance,
        **PAYER,
    )
    first = bank_batch_release(batch=first, acting_user=checker, expected_sha256=first.content_sha256)
    lines = {line.disbursement_id: line for line in first.lines.all()}
    returned = [lines[payment.pk] for payment in spring_paid[2:][:3]]
    failures = {line.sequence: reason for line, reason in zip(returned, REISSUED_REASONS, strict=True)}
    failures[lines[extras[0].pk].sequence] = RECOVERED_REASON
    failures[lines[extras[1].pk].sequence] = OPEN_REASON
    result = bank_result_upload(
        batch=first,
        template=BankFileTemplate.objects.get(code="generic-result"),
        file_name="工行回盘-DF2024-653100-001.xlsx",
        data=_result_file(first, failures),
        acting_user=finance,
    )
    bank_result_apply(result=result, acting_user=finance)
    for n, line in enumerate(returned, start=1):
        bank_line_reissue(
            line=line,
            bank_account=_corrected_account(n),
            paid_on=datetime.date(2024, 12, 9),
            note="与劳模本人核实后更正账号补发",
            acting_user=finance,
        )
    bank_line_recover(line=lines[extras[0].pk], note=RECOVERY_NOTE, acting_user=checker)
    second = bank_batch_prepare(
        organization=kashgar,
        program=program,
        fiscal_year=year,
        template=BankFileTemplate.objects.get(code="icbc-corporate-batch"),
        purpose="春节慰问金（补发）",
        acting_user=finance,
        **PAYER,
    )
    second = bank_batch_release(batch=second, acting_user=checker, expected_sha256=second.content_sha256)
    # The bank paid the re-issues the next day, before the 12-10 deadline.
    result = bank_result_upload(
        batch=second,
        template=BankFileTemplate.objects.get(code="generic-result"),
        file_name="工行回盘-DF2024-653100-002.xlsx",
        data=_result_file(second, {}),
        acting_user=checker,
    )
    bank_result_apply(result=result, acting_user=checker)
