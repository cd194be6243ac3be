import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.chain import seal
from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.models import Household, ModelWorker
from core.bulk import clean_without_queries
from core.changes import diff, snapshot
from core.decisions import decision_lock, decision_record
from core.masking import mask_account
from core.money import quantize
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import DisbursementStatus, FundingSource, PaymentMethod
from funds.models import (
    Disbursement,
    DisbursementReversal,
    FiscalYear,
    ImportBatch,
    Organization,
    PaymentKind,
    PaymentReversalRequest,
    User,
)
from funds.models.disbursements import payment_seal_content


def disbursement_build(
    *,
    beneficiary: Household | ModelWorker | None = None,
    household_id: int | None = None,
    model_worker_id: int | None = None,
    payment_kind: PaymentKind,
    fiscal_year: FiscalYear,
    amount: Decimal,
    paid_on: datetime.date,
    payment_method: str,
    paying_organization: Organization,
    funding_source: str = FundingSource.CURRENT_FISCAL,
    account_masked: str = "",
    bank_account: str = "",
    reissue_of: Disbursement | None = None,
    batch: ImportBatch | None = None,
    note: str = "",
    acting_user: User,
    for_bulk: bool = False,
) -> Disbursement:
    """An unsaved, validated disbursement; the one constructor every write path (form, import) uses.

    `for_bulk` skips the per-row queries of `full_clean()` (see `clean_without_queries`); bulk writers may
    name the beneficiary by id (`household_id` / `model_worker_id`) instead of passing an instance.
    """
    if beneficiary is not None:
        household_id = beneficiary.pk if isinstance(beneficiary, Household) else None
        model_worker_id = beneficiary.pk if isinstance(beneficiary, ModelWorker) else None
    disbursement = Disbursement(
        program=payment_kind.program,
        fiscal_year=fiscal_year,
        payment_kind=payment_kind,
        household_id=household_id,
        model_worker_id=model_worker_id,
        amount=quantize(amount),
        paid_on=paid_on,
        payment_method=PaymentMethod(payment_method),
        paying_organization=paying_organization,
        funding_source=FundingSource(funding_source),
        account_masked=account_masked or (mask_account(bank_account) if bank_account else ""),
        bank_account=bank_account,
        reissue_of=reissue_of,
        batch=batch,
        once_per_year=payment_kind.once_per_year,
        note=note,
        created_by=acting_user,
        status=DisbursementStatus.POSTED,
    )
    if for_bulk:
        clean_without_queries(disbursement)
    else:
        disbursement.full_clean()
    disbursement.seal = seal(disbursement.seal_content())
    return disbursement


@dataclass(slots=True)
class PostedPayment:
    """One payment for the bulk writer: the values a validated row resolved to (no model instance)."""

    payment_kind: PaymentKind
    beneficiary_id: int
    amount: Decimal
    paid_on: datetime.date
    payment_method: str
    funding_source: str
    account_masked: str
    bank_account: str
    note: str


BULK_COLUMNS = (
    "program_id",
    "fiscal_year_id",
    "payment_kind_id",
    "household_id",
    "model_worker_id",
    "amount",
    "paid_on",
    "payment_method",
    "account_masked",
    "bank_account",
    "paying_organization_id",
    "funding_source",
    "batch_id",
    "status",
    "once_per_year",
    "note",
    "created_by_id",
    "created_at",
    "seal",
)
_METHODS = frozenset(PaymentMethod.values)
_SOURCES = frozenset(FundingSource.values)


@transaction.atomic
def disbursements_post_bulk(*, batch: ImportBatch, payments: Iterable[PostedPayment], for_households: bool) -> int:
    """Write an import's payments as rows straight into the ledger (PostgreSQL `COPY`, elsewhere one multi-row
    INSERT per chunk), sealed exactly as `disbursement_build` seals one (`payment_seal_content`, tested).

    No model instance per row: the rows come from `imports.disbursements.check`, which has applied every rule
    `Disbursement.clean()` and the field definitions state (kind of the program, date within the year, amount
    positive with two places, choices, lengths) and the once-a-year and duplicate rules. The cheap ones are
    asserted again here, so a wrong caller is refused rather than trusted; the database's named constraints,
    foreign keys and guard triggers remain the safety net. Returns how many rows were written.
    """
    year, program = batch.fiscal_year, batch.program
    field = Disbursement._meta.get_field("bank_account")
    now = timezone.now()
    common = {
        "program_id": program.pk,
        "fiscal_year_id": year.pk,
        "paying_organization_id": batch.organization_id,
        "batch_id": batch.pk,
        "created_by_id": batch.created_by_id,
        "reissue_of_id": None,
    }
    postgres = connection.vendor == "postgresql"

    def rows():
        for payment in payments:
            kind = payment.payment_kind
            amount = quantize(payment.amount)
            if (
                kind.program_id != program.pk
                or amount <= 0
                or amount != payment.amount
                or not year.contains(payment.paid_on)
                or payment.payment_method not in _METHODS
                or payment.funding_source not in _SOURCES
                or len(payment.note) > 200
                or len(payment.account_masked) > 40
            ):
                raise ValidationError(_("导入数据未通过校验，未写入任何数据。"), code="unvalidated_bulk_row")
            values = {
                **common,
                "payment_kind_id": kind.pk,
                "household_id": payment.beneficiary_id if for_households else None,
                "model_worker_id": None if for_households else payment.beneficiary_id,
                "amount": amount,
                "paid_on": payment.paid_on,
                "payment_method": payment.payment_method,
                "account_masked": payment.account_masked,
                "funding_source": payment.funding_source,
                "once_per_year": kind.once_per_year,
                "note": payment.note,
                "bank_account": payment.bank_account,
            }
            sealed = seal(payment_seal_content(values))
            row = [values[name] for name in BULK_COLUMNS[:9]]
            row.append(field.get_prep_value(payment.bank_account))
            row.extend(values[name] for name in BULK_COLUMNS[10:13])
            row.extend((DisbursementStatus.POSTED.value, kind.once_per_year, payment.note, batch.created_by_id))
            row.extend((now if postgres else connection.ops.adapt_datetimefield_value(now), sealed))
            yield row

    written = 0
    table, columns = Disbursement._meta.db_table, ", ".join(BULK_COLUMNS)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    written += 1
            return written
        chunk: list = []
        insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(BULK_COLUMNS))})"
        for row in rows():
            chunk.append(row)
            if len(chunk) == 2000:
                cursor.executemany(insert, chunk)
                written, chunk = written + len(chunk), []
        if chunk:
            cursor.executemany(insert, chunk)
            written += len(chunk)
    return written


@transaction.atomic
def disbursement_create(*, acting_user: User, **fields) -> Disbursement:
    """Post one payment. A duplicate (once-a-year rule, identical recurring row) is refused by the database."""
    ensure_permission(user=acting_user, model=Disbursement, action=Action.ADD)
    organization = fields["paying_organization"]
    ensure_allowed(user=acting_user, obj=organization, action=Action.VIEW)
    disbursement = disbursement_build(acting_user=acting_user, **fields)
    try:
        with transaction.atomic():
            disbursement.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("{who}已有一笔相同的{kind}发放记录（{year}年），不能重复发放。").format(
                who=disbursement.beneficiary, kind=disbursement.payment_kind, year=disbursement.fiscal_year.year
            ),
            code="duplicate_payment",
        ) from exc
    audit_record(
        action=AuditAction.CREATE, actor=acting_user, obj=disbursement, changes=diff({}, snapshot(disbursement))
    )
    return disbursement


@transaction.atomic
def disbursement_reverse(*, disbursement: Disbursement, reason: str, acting_user: User) -> DisbursementReversal:
    """冲销: record a reversal and flip the payment's status; the payment row itself is otherwise untouched."""
    ensure_permission(user=acting_user, model=DisbursementReversal, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=disbursement, action=Action.VIEW)
    disbursement = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if disbursement.status != DisbursementStatus.POSTED:
        raise ValidationError(_("该笔发放已冲销，不能重复冲销。"), code="already_reversed")
    reversal = DisbursementReversal(disbursement=disbursement, reason=reason, created_by=acting_user)
    reversal.full_clean()
    reversal.save()
    # A conditional UPDATE of the status column only: the database trigger allows exactly this change.
    Disbursement.objects.filter(pk=disbursement.pk, status=DisbursementStatus.POSTED).update(
        status=DisbursementStatus.REVERSED
    )
    audit_record(
        action=AuditAction.REVERSAL,
        actor=acting_user,
        obj=disbursement,
        detail=reason,
        changes={"status": ["posted", "reversed"]},
    )
    return reversal


@transaction.atomic
def payment_reversal_request(*, disbursement: Disbursement, reason: str, acting_user: User) -> PaymentReversalRequest:
    """Ask to reverse one posted payment (the maker): finance staff other than the asker execute it. The correct
    payment is then uploaded again as a new row (the once-a-year rule sees the reversed one as gone)."""
    ensure_permission(user=acting_user, model=PaymentReversalRequest, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=disbursement, action=Action.VIEW)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写冲销原因。")})
    if disbursement.status != DisbursementStatus.POSTED:
        raise ValidationError(_("该笔发放已冲销，不能重复冲销。"), code="already_reversed")
    request = PaymentReversalRequest(disbursement=disbursement, requested_by=acting_user, reason=reason.strip())
    request.full_clean()
    request.save()
    audit_record(action=AuditAction.REQUEST_REVERSAL, actor=acting_user, obj=disbursement, detail=request.reason)
    return request


@transaction.atomic
def payment_reversal_decide(
    *, request: PaymentReversalRequest, approve: bool, acting_user: User
) -> PaymentReversalRequest:
    """Execute (the payment is reversed: a reversal row, never a deletion) or reject a request — never one's own."""
    ensure_permission(user=acting_user, model=PaymentReversalRequest, action=Action.CHANGE)
    ensure_allowed(user=acting_user, obj=request, action=Action.CHANGE)
    request = decision_lock(
        request,
        acting_user=acting_user,
        already_decided=_("该冲销申请已处理。"),
        by_proposer=_("单笔冲销须由申请人以外的财务人员确认。"),
    )
    decision_record(request, approve=approve, acting_user=acting_user)
    if approve:
        disbursement_reverse(
            disbursement=request.disbursement,
            reason=_("{reason}（{who} 申请）").format(reason=request.reason, who=request.requested_by)[:200],
            acting_user=acting_user,
        )
    else:
        audit_record(
            action=AuditAction.RETURN, actor=acting_user, obj=request.disbursement, detail="reversal request rejected"
        )
    return request
