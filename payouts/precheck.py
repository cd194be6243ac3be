"""What the bank would refuse, found before a batch is released: each finding names the line (序号) and the column."""

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from oversight.services import open_objection_people
from payouts.models import BankBatch, BankBatchLine

# Names banks accept as 户名: Chinese characters, the middle dot of minority names, Latin letters.
NAME_PATTERN = re.compile(r"^[\u3400-\u9fff·•A-Za-z]{2,30}$")


@dataclass(frozen=True)
class Finding:
    sequence: int
    column: str
    message: str
    blocking: bool = True

    def as_dict(self) -> dict:
        return {"sequence": self.sequence, "column": self.column, "message": self.message, "blocking": self.blocking}


def luhn_check_digit(body: str) -> str:
    """The digit that makes `body` + digit pass Luhn."""
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return digit
    raise ValueError(body)


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check digit every UnionPay card number carries as its last digit."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def account_problem(account: str) -> str | None:
    """Why the bank would refuse this account, or None. Card numbers (16–19 digits) must pass Luhn; a passbook or
    corporate account (other lengths) has no check digit the app can verify."""
    if not account:
        return _("缺少收款账号。")
    if not account.isdigit():
        return _("收款账号只能是数字。")
    if not 8 <= len(account) <= 32:
        return _("收款账号长度（{n} 位）不像银行账号。").format(n=len(account))
    if 16 <= len(account) <= 19 and not luhn_valid(account):
        return _("银行卡号 {masked} 校验位不对（Luhn 校验未通过），可能抄错了一位。").format(
            masked=f"{'*' * (len(account) - 4)}{account[-4:]}"
        )
    return None


def _person(line: BankBatchLine) -> tuple[str, int]:
    payment = line.disbursement
    return ("h", payment.household_id) if payment.household_id else ("m", payment.model_worker_id)


def precheck(batch: BankBatch, lines: list[BankBatchLine] | None = None) -> list[Finding]:
    """Every finding for a batch's lines (loaded with their payments and persons)."""
    if lines is None:
        lines = list(
            batch.lines.select_related("disbursement__model_worker", "disbursement__household").order_by("sequence")
        )
    account_header, amount_header, name_header = _("收款账号"), _("金额"), _("收款人户名")
    findings: list[Finding] = []
    people = Counter(_person(line) for line in lines)
    objected_households, objected_workers = open_objection_people(
        household_ids={pk for kind, pk in people if kind == "h"},
        model_worker_ids={pk for kind, pk in people if kind == "m"},
    )
    same_amounts = Counter((_person(line), line.amount) for line in lines)
    for line in lines:
        problem = account_problem(line.account)
        if problem:
            findings.append(Finding(line.sequence, account_header, problem))
        worker = line.disbursement.model_worker
        # A 补发 goes to the account finance corrected with the worker; the roster may still hold the returned one.
        reissue = line.disbursement.reissue_of_id is not None
        if worker and worker.bank_account and line.account and worker.bank_account != line.account and not reissue:
            findings.append(
                Finding(
                    line.sequence,
                    account_header,
                    _("收款账号与劳模名册登记的账号（尾号 {roster}）不一致。").format(roster=worker.bank_account[-4:]),
                )
            )
        if not NAME_PATTERN.match(line.payee_name or ""):
            findings.append(
                Finding(
                    line.sequence,
                    name_header,
                    _("户名“{name}”含银行不接受的字符（空格、数字或符号），与名册核对后更正。").format(
                        name=line.payee_name
                    ),
                )
            )
        kind, person = _person(line)
        if person in (objected_households if kind == "h" else objected_workers):
            findings.append(
                Finding(
                    line.sequence,
                    name_header,
                    _("{name}有未办结的异议或投诉：办结前不能代发。").format(name=line.payee_name),
                )
            )
        if line.amount != line.amount.quantize(Decimal("0.01")) or line.amount <= 0:
            findings.append(Finding(line.sequence, amount_header, _("金额须大于 0 且最多两位小数。")))
        twins = people[_person(line)]
        if twins > 1:
            same_amount = same_amounts[(_person(line), line.amount)] > 1
            message = (
                _("{name}在本批次中有 {n} 笔相同金额的代发：银行按重复付款拒绝，请分批代发。")
                if same_amount
                else _("{name}在本批次中有 {n} 笔代发（金额不同），请核对是否应当同时发放。")
            )
            findings.append(
                Finding(line.sequence, name_header, message.format(name=line.payee_name, n=twins), blocking=same_amount)
            )
    return findings
