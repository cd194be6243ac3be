"""回盘: the bank's result file for one bank batch, read by its result template, every row checked against the
batch — validated in full and previewed; `payouts.services.bank_result_apply` then writes all of it or nothing."""

import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.masking import mask_account
from core.money import ZERO, format_yuan
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.models import User
from imports import cells
from imports.columns import Column, map_columns, rows
from imports.errors import FileRefused, RowError
from imports.reader import read_table
from payouts.choices import BankBatchStatus, LineOutcome, ResultField, ResultFileStatus, TemplatePurpose
from payouts.models import BankBatch, BankFileTemplate, BankResultFile

REQUIRED = {ResultField.ACCOUNT, ResultField.AMOUNT, ResultField.STATUS}


def template_columns(template: BankFileTemplate) -> list[Column]:
    return [
        Column(column["header"], column["field"], required=column["field"] in REQUIRED) for column in template.columns
    ]


def _read(batch: BankBatch, template: BankFileTemplate, data: bytes, file_name: str):
    """(outcomes, errors, counts) of a result file: every row either matches one pending line of the batch (by 序号
    where the file has it, else by account and amount) or is an error naming its row and column."""
    columns = template_columns(template)
    try:
        table = read_table(data, filename=file_name, columns=columns)
    except FileRefused as refusal:
        return [], [refusal.error], {}
    mapped = map_columns(table, columns)
    if mapped.errors:
        return [], mapped.errors, {}
    lines = list(batch.lines.all())
    by_sequence = {line.sequence: line for line in lines}
    by_account: dict[tuple[str, Decimal], list] = {}
    for line in lines:
        by_account.setdefault((line.account, line.amount), []).append(line)
    successes, failures = template.successes, template.failures
    outcomes, errors, seen = [], [], {}
    counts = {"succeeded": [0, ZERO], "failed": [0, ZERO]}
    for row in rows(table, columns, mapped.positions):
        account = row.get(ResultField.ACCOUNT, cells.bank_account, required=True)
        amount = row.get(ResultField.AMOUNT, cells.amount)
        status = row.get(ResultField.STATUS, cells.text, max_chars=50)
        reason = (
            row.get(ResultField.REASON, cells.text, required=False, max_chars=200)
            if ResultField.REASON in (mapped.positions)
            else ""
        )
        settled_on = (
            row.get(ResultField.SETTLED_ON, cells.optional_date) if ResultField.SETTLED_ON in mapped.positions else None
        )
        serial = (
            row.get(ResultField.SERIAL, cells.positive_int, maximum=10**7)
            if ResultField.SERIAL in mapped.positions and not cells.is_blank(row.cells.get(ResultField.SERIAL))
            else None
        )
        if status and status not in successes and status not in failures:
            row.fail(
                ResultField.STATUS,
                _("处理结果“{status}”不是本模板认可的结果（成功：{ok}；失败：{bad}）。").format(
                    status=status, ok="、".join(sorted(successes)), bad="、".join(sorted(failures))
                ),
            )
        if not row.ok:
            errors.extend(row.errors)
            continue
        if serial is not None:
            line = by_sequence.get(serial)
            if line is None:
                row.fail(ResultField.SERIAL, _("本批次没有第 {n} 笔。").format(n=serial))
            elif line.account != account:
                row.fail(
                    ResultField.ACCOUNT,
                    _("账号 {got} 与本批次第 {n} 笔的账号 {sent} 不符。").format(
                        got=mask_account(account), n=serial, sent=line.account_masked
                    ),
                )
            elif line.amount != amount:
                row.fail(
                    ResultField.AMOUNT,
                    _("金额 {got} 元与本批次第 {n} 笔代发的 {sent} 元不符。").format(
                        got=format_yuan(amount), n=serial, sent=format_yuan(line.amount)
                    ),
                )
        else:
            candidates = [c for c in by_account.get((account, amount), []) if c.pk not in seen]
            line = candidates[0] if candidates else None
            if line is None:
                same_account = [c for c in lines if c.account == account]
                if same_account:
                    row.fail(
                        ResultField.AMOUNT,
                        _("金额 {got} 元与本批次该账号代发的 {sent} 元不符。").format(
                            got=format_yuan(amount), sent=format_yuan(same_account[0].amount)
                        ),
                    )
                else:
                    row.fail(
                        ResultField.ACCOUNT,
                        _("账号 {account} 不在本批次中：回盘文件是否选错了批次？").format(
                            account=mask_account(account)
                        ),
                    )
        if row.ok:
            if line.pk in seen:
                row.fail("", _("与第 {other} 行是同一笔代发，出现了两次。").format(other=seen[line.pk]))
            elif line.outcome != LineOutcome.PENDING:
                row.fail(
                    "",
                    _("第 {n} 笔已登记过回盘结果（{outcome}）。").format(
                        n=line.sequence, outcome=line.get_outcome_display()
                    ),
                )
        if not row.ok:
            errors.extend(row.errors)
            continue
        seen[line.pk] = row.number
        outcome = LineOutcome.SUCCEEDED if status in successes else LineOutcome.FAILED
        if outcome == LineOutcome.FAILED and not reason:
            reason = status
        counts[outcome][0] += 1
        counts[outcome][1] += amount
        outcomes.append([line.pk, outcome.value, reason or "", settled_on.isoformat() if settled_on else ""])
    if not outcomes and not errors:
        errors.append(RowError(0, "", _("文件中没有任何回盘记录。")))
    return outcomes, errors, counts


@transaction.atomic
def bank_result_upload(
    *, batch: BankBatch, template: BankFileTemplate, file_name: str, data: bytes, acting_user: User
) -> BankResultFile:
    """Store the bank's result file and its preview (or every error). Writes nothing to the batch or the ledger."""
    ensure_permission(user=acting_user, model=BankResultFile, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    if batch.status not in (BankBatchStatus.RELEASED, BankBatchStatus.SETTLED):
        raise ValidationError(_("批次放行并送银行后才能上传回盘文件。"))
    if template.purpose != TemplatePurpose.RESULT or not template.is_active:
        raise ValidationError({"template": _("请选择启用的回盘文件模板。")})
    outcomes, errors, counts = _read(batch, template, data, file_name)
    result = BankResultFile(
        batch=batch,
        template=template,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        status=ResultFileStatus.REFUSED if errors else ResultFileStatus.PREVIEWED,
        row_count=len(outcomes) + len({e.row for e in errors if e.row}),
        outcomes=[] if errors else outcomes,
        errors=[error.as_dict() for error in errors[:2000]],
        uploaded_by=acting_user,
    )
    if not errors:
        result.succeeded_count, result.succeeded_amount = counts["succeeded"]
        result.failed_count, result.failed_amount = counts["failed"]
    result.full_clean(exclude=["source_file"])
    result.source_file.save(file_name, ContentFile(data), save=False)
    result.save()
    return result
