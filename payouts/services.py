"""Writes of the bank's part of paying. Every one is keyword-only, atomic, checks permission and scope, validates
with `full_clean()` and is audited. Money stays in the funds ledger: a 退票 is a `DisbursementReversal`, a 补发 a new
`Disbursement` (`reissue_of` the returned one)."""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.masking import mask_account
from core.money import ZERO, quantize
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import DisbursementStatus, PaymentMethod
from funds.models import (
    Disbursement,
    DisbursementReversal,
    FiscalYear,
    ImportBatch,
    Organization,
    PaymentKind,
    Program,
    User,
)
from funds.services.disbursements import disbursement_build
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome, ResultFileStatus, TemplatePurpose
from payouts.files import batch_file
from payouts.models import BankBatch, BankBatchLine, BankFileTemplate, BankResultFile
from payouts.precheck import account_problem, precheck


def unsent_payments(
    *,
    user: User,
    organization: Organization,
    program: Program,
    fiscal_year: FiscalYear,
    payment_kind: PaymentKind | None = None,
    import_batch: ImportBatch | None = None,
):
    """Posted payments of one organisation paid through a bank and not yet in any bank batch."""
    payments = Disbursement.objects.restrict(user).filter(
        paying_organization=organization,
        program=program,
        fiscal_year=fiscal_year,
        status=DisbursementStatus.POSTED,
        bank_line__isnull=True,
    )
    payments = payments.exclude(payment_method=PaymentMethod.CASH)
    if payment_kind is not None:
        payments = payments.filter(payment_kind=payment_kind)
    if import_batch is not None:
        payments = payments.filter(batch=import_batch)
    return payments.order_by("pk")


def _content_hash(batch: BankBatch) -> str:
    """Names exactly what is released: every line's payment, account and amount, and where the money comes from."""
    digest = hashlib.sha256(f"{batch.number}|{batch.payer_account}|{batch.template_id}".encode())
    for line in batch.lines.order_by("sequence"):
        digest.update(f"|{line.sequence}:{line.disbursement_id}:{line.account}:{quantize(line.amount)}".encode())
    return digest.hexdigest()


def _refresh_totals(batch: BankBatch) -> None:
    totals = batch.lines.aggregate(count=Count("pk"), amount=Sum("amount"))
    batch.line_count = totals["count"]
    batch.total_amount = totals["amount"] or ZERO
    batch.content_sha256 = _content_hash(batch)


def _default_purpose(payments: list[Disbursement], program: Program) -> str:
    """汇款用途 the payee reads on the bank statement: the payment kind when the batch holds one, else the fund."""
    kinds = {payment.payment_kind.name for payment in payments}
    return kinds.pop() if len(kinds) == 1 else program.name


def _next_number(organization: Organization, fiscal_year: FiscalYear) -> str:
    taken = BankBatch.objects.filter(organization=organization, fiscal_year=fiscal_year).count()
    return f"DF{fiscal_year.year}-{organization.code}-{taken + 1:03d}"


@transaction.atomic
def bank_batch_prepare(
    *,
    organization: Organization,
    program: Program,
    fiscal_year: FiscalYear,
    template: BankFileTemplate,
    purpose: str,
    payer_name: str,
    payer_account: str,
    payer_bank: str = "",
    payment_kind: PaymentKind | None = None,
    import_batch: ImportBatch | None = None,
    acting_user: User,
) -> BankBatch:
    """制单: a batch of every posted, unsent bank payment the filters select, frozen as lines."""
    ensure_permission(user=acting_user, model=BankBatch, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=organization, action=Action.VIEW)
    # Serialise with the organisation's other batches: one payment goes into one batch.
    list(Organization.objects.select_for_update().filter(pk=organization.pk))
    if template.purpose != TemplatePurpose.BATCH or not template.is_active:
        raise ValidationError({"template": _("请选择启用的代发文件模板。")})
    payments = list(
        unsent_payments(
            user=acting_user,
            organization=organization,
            program=program,
            fiscal_year=fiscal_year,
            payment_kind=payment_kind,
            import_batch=import_batch,
        ).select_related("household", "model_worker", "payment_kind")
    )
    if not payments:
        raise ValidationError(_("没有符合条件、尚未代发的银行发放记录。"))
    batch = BankBatch(
        number=_next_number(organization, fiscal_year),
        organization=organization,
        program=program,
        fiscal_year=fiscal_year,
        payment_kind=payment_kind,
        import_batch=import_batch,
        template=template,
        purpose=(purpose or _default_purpose(payments, program)).strip()[:50],
        payer_name=payer_name.strip(),
        payer_account="".join(payer_account.split()),
        payer_bank=payer_bank.strip(),
        prepared_by=acting_user,
    )
    batch.full_clean()
    batch.save()
    lines = []
    for sequence, payment in enumerate(payments, start=1):
        worker = payment.model_worker
        # A payment uploaded before accounts were kept with it is paid to the account on the roster.
        account = payment.bank_account or (worker.bank_account if worker is not None else "") or ""
        line = BankBatchLine(
            batch=batch,
            disbursement=payment,
            sequence=sequence,
            payee_name=(worker.name if worker is not None else payment.household.head_name).strip(),
            account=account,
            account_masked=mask_account(account),
            amount=payment.amount,
        )
        line.full_clean(exclude=["batch", "disbursement", "account"])
        lines.append(line)
    try:
        with transaction.atomic():
            BankBatchLine.objects.bulk_create(lines, batch_size=2000)
    except IntegrityError:
        raise ValidationError(_("其中有发放记录刚被另一个代发批次选中，请重新制单。")) from None
    _refresh_totals(batch)
    batch.save(update_fields=["line_count", "total_amount", "content_sha256"])
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=batch,
        detail=f"bank batch prepared: {batch.line_count} payments, {batch.total_amount} yuan",
        changes={"lines": ["", str(batch.line_count)], "total": ["", str(batch.total_amount)]},
    )
    return batch


def _locked(batch: BankBatch) -> BankBatch:
    return BankBatch.objects.select_for_update().select_related("template").get(pk=batch.pk)


@transaction.atomic
def bank_batch_remove_line(*, batch: BankBatch, line: BankBatchLine, reason: str, acting_user: User) -> BankBatch:
    """移出批次: a line the pre-check found the bank would refuse leaves the batch (its payment is unsent again)."""
    ensure_permission(user=acting_user, model=BankBatch, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = _locked(batch)
    if batch.status != BankBatchStatus.PREPARED:
        raise ValidationError(_("只有待放行的批次可以移出明细。"))
    if line.batch_id != batch.pk:
        raise ValidationError(_("该笔不在本批次中。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写移出原因。")})
    if batch.line_count <= 1:
        raise ValidationError(_("批次只剩这一笔：请作废整个批次。"))
    sequence, payment = line.sequence, line.disbursement_id
    line.delete()
    _refresh_totals(batch)
    batch.save(update_fields=["line_count", "total_amount", "content_sha256"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=batch,
        detail=f"line {sequence} (payment {payment}) removed: {reason.strip()}",
        changes={"lines": [str(batch.line_count + 1), str(batch.line_count)]},
    )
    return batch


@transaction.atomic
def bank_batch_release(*, batch: BankBatch, acting_user: User, expected_sha256: str) -> BankBatch:
    """放行 by a second finance user: only what the page showed (the content hash), and only with no blocking
    finding left."""
    ensure_permission(user=acting_user, model=BankBatch, action="release")
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = _locked(batch)
    if batch.status != BankBatchStatus.PREPARED:
        raise ValidationError(_("该批次当前状态为“{status}”，不能放行。").format(status=batch.get_status_display()))
    if batch.prepared_by_id == acting_user.pk:
        raise PermissionDenied(_("代发批次须由制单人以外的另一位财务人员放行。"))
    if expected_sha256 != batch.content_sha256:
        raise ValidationError(_("批次内容已变化（您打开页面后有人移出了明细），请刷新页面核对后再放行。"))
    blocking = [finding for finding in precheck(batch) if finding.blocking]
    if blocking:
        raise ValidationError(
            _("预检发现 {n} 处银行会拒绝的问题（如第 {first} 笔：{message}），请先处理。").format(
                n=len(blocking), first=blocking[0].sequence, message=blocking[0].message
            )
        )
    batch.status = BankBatchStatus.RELEASED
    batch.released_by = acting_user
    batch.released_at = timezone.now()
    batch.full_clean()
    batch.save()
    audit_record(
        action=AuditAction.APPROVE,
        actor=acting_user,
        obj=batch,
        detail=f"bank batch released: {batch.line_count} payments, {batch.total_amount} yuan",
        changes={"status": [BankBatchStatus.PREPARED, BankBatchStatus.RELEASED], "sha256": ["", batch.content_sha256]},
    )
    return batch


@transaction.atomic
def bank_batch_cancel(*, batch: BankBatch, reason: str, acting_user: User) -> BankBatch:
    """作废 a batch not yet released: its payments become unsent again; the batch stays in the list as 已作废."""
    ensure_permission(user=acting_user, model=BankBatch, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = _locked(batch)
    if batch.status != BankBatchStatus.PREPARED:
        raise ValidationError(_("已放行的批次不能作废：银行的处理结果以回盘文件为准。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写作废原因。")})
    batch.lines.all().delete()
    batch.status = BankBatchStatus.CANCELLED
    batch.cancelled_reason = reason.strip()[:200]
    batch.full_clean()
    batch.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=batch,
        detail=f"bank batch cancelled: {batch.cancelled_reason}",
        changes={"status": [BankBatchStatus.PREPARED, BankBatchStatus.CANCELLED]},
    )
    return batch


def bank_batch_download(*, batch: BankBatch, acting_user: User) -> tuple[bytes, str, str]:
    """The released batch's file, with every account in clear: audited as an unmasking, never stored."""
    ensure_permission(user=acting_user, model=BankBatch, action="download")
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = BankBatch.objects.select_related("template").get(pk=batch.pk)
    if batch.status not in (BankBatchStatus.RELEASED, BankBatchStatus.SETTLED):
        raise ValidationError(_("代发文件须经另一位财务人员放行后才能下载。"))
    data, extension, content_type = batch_file(batch)
    audit_record(
        action=AuditAction.UNMASK,
        actor=acting_user,
        obj=batch,
        detail=f"bank batch file downloaded: {batch.line_count} accounts in clear",
        changes={"sha256": ["", hashlib.sha256(data).hexdigest()]},
    )
    return data, extension, content_type


@transaction.atomic
def bank_result_apply(*, result: BankResultFile, acting_user: User) -> BankResultFile:
    """入账 a previewed result file: each payment it names becomes 成功 or 失败; a failure is a 退票 — its payment is
    reversed in the ledger (a reversal row, never a deletion) and waits for 补发 or 追回. All rows or none."""
    ensure_permission(user=acting_user, model=BankResultFile, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=result, action=Action.VIEW)
    result = BankResultFile.objects.select_for_update().get(pk=result.pk)
    batch = _locked(result.batch)
    if result.status != ResultFileStatus.PREVIEWED:
        raise ValidationError(
            _("该回盘文件当前状态为“{status}”，不能入账。").format(status=result.get_status_display())
        )
    if batch.status not in (BankBatchStatus.RELEASED, BankBatchStatus.SETTLED):
        raise ValidationError(_("批次未放行，不能登记回盘结果。"))
    by_id = {line.pk: line for line in batch.lines.select_related("disbursement").select_for_update()}
    reversals, changed = [], []
    for line_id, outcome, reason, settled_on in result.outcomes:
        line = by_id.get(line_id)
        if line is None or line.outcome != LineOutcome.PENDING:
            raise ValidationError(
                _("第 {n} 笔已登记过回盘结果（可能另一个回盘文件刚刚入账），请重新上传。").format(
                    n=line.sequence if line else line_id
                )
            )
        line.outcome = LineOutcome(outcome)
        line.bank_reason = reason[:200]
        line.settled_on = datetime.date.fromisoformat(settled_on) if settled_on else None
        line.result_file = result
        if line.outcome == LineOutcome.FAILED:
            line.follow_up = FollowUp.OPEN
            if line.disbursement.status == DisbursementStatus.POSTED:
                reversals.append(
                    DisbursementReversal(
                        disbursement=line.disbursement,
                        reason=_("退票：{reason}").format(reason=reason or _("银行未说明原因"))[:200],
                        created_by=acting_user,
                    )
                )
        line.full_clean(exclude=["batch", "disbursement", "result_file", "reissue"])
        changed.append(line)
    BankBatchLine.objects.bulk_update(changed, ["outcome", "bank_reason", "settled_on", "result_file", "follow_up"])
    DisbursementReversal.objects.bulk_create(reversals, batch_size=2000)
    Disbursement.objects.filter(pk__in=[r.disbursement_id for r in reversals]).update(
        status=DisbursementStatus.REVERSED  # the ledger's trigger allows exactly this change
    )
    result.status = ResultFileStatus.APPLIED
    result.applied_at = timezone.now()
    result.full_clean(exclude=["source_file"])
    result.save()
    if not batch.lines.filter(outcome=LineOutcome.PENDING).exists():
        batch.status = BankBatchStatus.SETTLED
        batch.save(update_fields=["status"])
    audit_record(
        action=AuditAction.IMPORT,
        actor=acting_user,
        obj=result,
        detail=f"bank result applied: {result.succeeded_count} succeeded, {result.failed_count} failed (退票)",
        changes={"succeeded": ["", str(result.succeeded_count)], "failed": ["", str(result.failed_count)]},
    )
    return result


def _open_failure(line: BankBatchLine, acting_user: User) -> BankBatchLine:
    ensure_permission(user=acting_user, model=BankBatchLine, action=Action.CHANGE)
    ensure_allowed(user=acting_user, obj=line, action=Action.VIEW)
    line = BankBatchLine.objects.select_for_update().select_related("disbursement", "batch").get(pk=line.pk)
    if line.outcome != LineOutcome.FAILED or line.follow_up != FollowUp.OPEN:
        raise ValidationError(_("只有待处理的退票可以补发或追回。"))
    return line


@transaction.atomic
def bank_line_reissue(
    *, line: BankBatchLine, bank_account: str, paid_on: datetime.date, note: str = "", acting_user: User
) -> Disbursement:
    """补发: a new payment of the returned one, to the corrected account, linked to it (the once-a-year rule allows it:
    the returned payment is reversed). It is unsent, so it goes into the organisation's next bank batch."""
    line = _open_failure(line, acting_user)
    account = "".join(bank_account.split())
    problem = account_problem(account)
    if problem:
        raise ValidationError({"bank_account": problem})
    original = line.disbursement
    ensure_permission(user=acting_user, model=Disbursement, action=Action.ADD)
    payment = disbursement_build(
        household_id=original.household_id,
        model_worker_id=original.model_worker_id,
        payment_kind=original.payment_kind,
        fiscal_year=original.fiscal_year,
        amount=original.amount,
        paid_on=paid_on,
        payment_method=original.payment_method,
        paying_organization=original.paying_organization,
        funding_source=original.funding_source,
        bank_account=account,
        reissue_of=original,
        note=(note.strip() or _("补发：{batch} 第 {n} 笔退票").format(batch=line.batch.number, n=line.sequence))[:200],
        acting_user=acting_user,
    )
    try:
        with transaction.atomic():
            payment.save()
    except IntegrityError as exc:
        raise ValidationError(_("该笔已补发过，或本年度已有同类型的有效发放。")) from exc
    line.follow_up = FollowUp.REISSUED
    line.reissue = payment
    line.follow_up_note = note.strip()[:200]
    line.followed_up_by = acting_user
    line.followed_up_at = timezone.now()
    line.full_clean(exclude=["batch", "disbursement", "result_file", "reissue"])
    line.save(update_fields=["follow_up", "reissue", "follow_up_note", "followed_up_by", "followed_up_at"])
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=payment,
        detail=f"re-issue of payment {original.pk} returned by the bank ({line.batch.number} #{line.sequence})",
        changes={"reissue_of": ["", str(original.pk)], "amount": ["", str(payment.amount)]},
    )
    return payment


@transaction.atomic
def bank_line_recover(*, line: BankBatchLine, note: str, acting_user: User) -> BankBatchLine:
    """追回: the returned money stays with the fund (the person is not to be paid); a reason is required."""
    line = _open_failure(line, acting_user)
    if not note.strip():
        raise ValidationError({"note": _("请填写追回说明（如：对象已去世、经核实不应发放）。")})
    line.follow_up = FollowUp.RECOVERED
    line.follow_up_note = note.strip()[:200]
    line.followed_up_by = acting_user
    line.followed_up_at = timezone.now()
    line.full_clean(exclude=["batch", "disbursement", "result_file", "reissue"])
    line.save(update_fields=["follow_up", "follow_up_note", "followed_up_by", "followed_up_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=line,
        detail=f"returned payment recovered: {line.follow_up_note}",
        changes={"follow_up": [FollowUp.OPEN, FollowUp.RECOVERED]},
    )
    return line


@transaction.atomic
def bank_file_template_save(*, template: BankFileTemplate, acting_user: User) -> BankFileTemplate:
    """Add or change a bank's file layout (the permission to add or change templates)."""
    action = Action.CHANGE if template.pk else Action.ADD
    ensure_permission(user=acting_user, model=BankFileTemplate, action=action)
    before = BankFileTemplate.objects.filter(pk=template.pk).values().first() if template.pk else None
    template.full_clean()
    template.save()
    audit_record(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=acting_user,
        obj=template,
        detail=f"bank file template {template.code}: {len(template.columns)} columns",
        changes={"columns": [str(before["columns"]) if before else "", str(template.columns)]},
    )
    return template


@transaction.atomic
def bank_result_discard(*, result: BankResultFile, acting_user: User) -> BankResultFile:
    """放弃 a previewed result file (the wrong file, or the bank sent a corrected one): nothing was written."""
    ensure_permission(user=acting_user, model=BankResultFile, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=result, action=Action.VIEW)
    result = BankResultFile.objects.select_for_update().get(pk=result.pk)
    if result.status not in (ResultFileStatus.PREVIEWED, ResultFileStatus.REFUSED):
        raise ValidationError(_("已入账的回盘文件不能放弃。"))
    result.status = ResultFileStatus.DISCARDED
    result.save(update_fields=["status"])
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=result, detail="bank result discarded")
    return result
