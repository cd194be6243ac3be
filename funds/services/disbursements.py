import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
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
