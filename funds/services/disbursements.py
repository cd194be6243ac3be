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
from core.money import quantize
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import DisbursementStatus, FundingSource, PaymentMethod
from funds.models import Disbursement, DisbursementReversal, FiscalYear, ImportBatch, Organization, PaymentKind, User


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
        account_masked=account_masked,
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
