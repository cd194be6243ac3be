"""Writes of 公示, 异议, 回访 and duplicate decisions: keyword-only, atomic, permission and scope checked, validated
with `full_clean()`, audited."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.models import Household, ModelWorker
from core.money import ZERO
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import BeneficiaryKind, DisbursementStatus
from funds.models import Disbursement, FiscalYear, Organization, PaymentKind, Program, User
from oversight.choices import (
    DuplicateDecision,
    ObjectionChannel,
    ObjectionKind,
    ObjectionOutcome,
    ObjectionStatus,
    Receipt,
)
from oversight.models import DuplicateCase, Objection, Publicity, VerificationRound, Visit
from oversight.sampling import draw, sample_size

OBJECTION_DAYS = 15  # 办结期限 when none is given: fifteen days from receipt


def publicity_payments(
    *,
    user: User,
    organization: Organization,
    program: Program,
    fiscal_year: FiscalYear,
    payment_kind: PaymentKind | None = None,
):
    payments = Disbursement.objects.restrict(user).filter(
        paying_organization=organization, program=program, fiscal_year=fiscal_year, status=DisbursementStatus.POSTED
    )
    if payment_kind is not None:
        payments = payments.filter(payment_kind=payment_kind)
    return payments.select_related("household", "model_worker", "payment_kind").order_by("payment_kind", "pk")


@transaction.atomic
def publicity_record(
    *,
    organization: Organization,
    program: Program,
    fiscal_year: FiscalYear,
    payment_kind: PaymentKind | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
    contact: str,
    pdf_sha256: str,
    acting_user: User,
) -> Publicity:
    """Record who generated a 公示 list, for what, and the PDF's hash (the list names people: audited)."""
    ensure_permission(user=acting_user, model=Publicity, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=organization, action=Action.VIEW)
    payments = publicity_payments(
        user=acting_user, organization=organization, program=program, fiscal_year=fiscal_year, payment_kind=payment_kind
    )
    totals = payments.aggregate(total=Sum("amount"))
    publicity = Publicity(
        organization=organization,
        program=program,
        fiscal_year=fiscal_year,
        payment_kind=payment_kind,
        starts_on=starts_on,
        ends_on=ends_on,
        contact=contact.strip(),
        line_count=payments.count(),
        total_amount=totals["total"] or ZERO,
        pdf_sha256=pdf_sha256,
        generated_by=acting_user,
    )
    publicity.full_clean()
    publicity.save()
    audit_record(
        action=AuditAction.DOWNLOAD,
        actor=acting_user,
        obj=publicity,
        detail=f"公示 generated: {publicity.line_count} persons, period {starts_on}–{ends_on}",
        changes={"sha256": ["", pdf_sha256]},
    )
    return publicity


@transaction.atomic
def objection_create(
    *,
    person: Household | ModelWorker,
    kind: str = ObjectionKind.OBJECTION,
    channel: str,
    received_on: datetime.date,
    content: str,
    disbursement: Disbursement | None = None,
    deadline: datetime.date | None = None,
    handler: User | None = None,
    visit: Visit | None = None,
    acting_user: User,
) -> Objection:
    """登记 an objection or complaint about a person (and a payment). Open, it holds the person's payments out of the
    next bank batch."""
    ensure_permission(user=acting_user, model=Objection, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=person, action=Action.VIEW)
    objection = Objection(
        kind=kind,
        organization_id=person.organization_id,
        household=person if isinstance(person, Household) else None,
        model_worker=person if isinstance(person, ModelWorker) else None,
        disbursement=disbursement,
        channel=channel,
        received_on=received_on,
        content=content.strip(),
        deadline=deadline or received_on + datetime.timedelta(days=OBJECTION_DAYS),
        handler=handler or acting_user,
        visit=visit,
        created_by=acting_user,
    )
    objection.full_clean()
    objection.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=objection, detail=f"{objection.kind}: {channel}")
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, outcome: str, resolution: str, acting_user: User) -> Objection:
    """办结: what was found and done; the person's payments may go to the bank again."""
    ensure_permission(user=acting_user, model=Objection, action=Action.CHANGE)
    ensure_allowed(user=acting_user, obj=objection, action=Action.CHANGE)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("该异议已办结。"))
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写办理情况。")})
    objection.status = ObjectionStatus.RESOLVED
    objection.outcome = ObjectionOutcome(outcome)
    objection.resolution = resolution.strip()
    objection.resolved_by = acting_user
    objection.resolved_at = timezone.now()
    objection.full_clean()
    objection.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=objection,
        detail=f"objection resolved: {objection.outcome}",
        changes={"status": [ObjectionStatus.OPEN, ObjectionStatus.RESOLVED]},
    )
    return objection


def open_objection_people(*, household_ids=(), model_worker_ids=()) -> tuple[set[int], set[int]]:
    """The persons among these with an objection still open: (household ids, model worker ids)."""
    open_ones = Objection.objects.filter(status=ObjectionStatus.OPEN)
    households = set(open_ones.filter(household_id__in=list(household_ids)).values_list("household_id", flat=True))
    workers = set(
        open_ones.filter(model_worker_id__in=list(model_worker_ids)).values_list("model_worker_id", flat=True)
    )
    return households, workers


@transaction.atomic
def verification_round_create(
    *,
    organization: Organization,
    program: Program,
    fiscal_year: FiscalYear,
    name: str,
    confidence: int = 95,
    margin: Decimal = Decimal(5),
    method: str,
    everyone: bool = False,
    size: int | None = None,
    acting_user: User,
) -> VerificationRound:
    """A round over the organisation's payees of the year (one visit per person, at their first payment): the sample
    size from the confidence and the margin (or everyone, or a size set by hand), drawn at random with a recorded
    seed."""
    ensure_permission(user=acting_user, model=VerificationRound, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=organization, action=Action.VIEW)
    person = "household" if program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD else "model_worker"
    firsts = list(
        Disbursement.objects.filter(
            paying_organization=organization, program=program, fiscal_year=fiscal_year, status=DisbursementStatus.POSTED
        )
        .values(person)
        .annotate(first=Min("pk"))
        .values_list("first", flat=True)
    )
    if not firsts:
        raise ValidationError(_("该单位本年度没有已入账的发放，无可回访的对象。"))
    if everyone:
        size = len(firsts)
    elif size:
        size = min(size, len(firsts))  # a size set by hand (at least what the formula asks is the user's call)
    else:
        size = sample_size(len(firsts), confidence=confidence, margin_percent=margin)
    seed = secrets.randbits(48)
    round_ = VerificationRound(
        organization=organization,
        program=program,
        fiscal_year=fiscal_year,
        name=name.strip(),
        confidence=confidence,
        margin=margin,
        population=len(firsts),
        sample_size=size,
        seed=seed,
        method=method,
        created_by=acting_user,
    )
    round_.full_clean()
    round_.save()
    Visit.objects.bulk_create(Visit(round=round_, disbursement_id=pk) for pk in draw(firsts, size, seed))
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=round_,
        detail=f"verification round: {size} of {len(firsts)} payees (seed {seed})",
    )
    return round_


@transaction.atomic
def visit_record(
    *,
    visit: Visit,
    receipt: str,
    satisfied: bool | None,
    visited_on: datetime.date,
    remarks: str = "",
    acting_user: User,
) -> Visit:
    """What the visit or call found. "未收到" opens an objection about the payment at once."""
    ensure_permission(user=acting_user, model=Visit, action=Action.CHANGE)
    ensure_allowed(user=acting_user, obj=visit, action=Action.CHANGE)
    visit = Visit.objects.select_for_update().select_related("disbursement", "round").get(pk=visit.pk)
    if visit.receipt:
        raise ValidationError(_("该对象的回访结果已经记录。"))
    visit.receipt = Receipt(receipt)
    visit.satisfied = None if receipt == Receipt.UNREACHABLE else satisfied
    visit.visited_on = visited_on
    visit.remarks = remarks.strip()[:200]
    visit.recorded_by = acting_user
    visit.recorded_at = timezone.now()
    visit.full_clean()
    visit.save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=visit, detail=f"visit recorded: {receipt}")
    if visit.receipt == Receipt.NOT_RECEIVED:
        payment = visit.disbursement
        objection_create(
            person=payment.beneficiary,
            kind=ObjectionKind.COMPLAINT,
            channel=ObjectionChannel.VERIFICATION,
            received_on=visited_on,
            content=_("回访时对象称未收到{kind} {amount} 元（{date}）。{remarks}")
            .format(kind=payment.payment_kind.name, amount=payment.amount, date=payment.paid_on, remarks=visit.remarks)
            .strip(),
            disbursement=payment,
            visit=visit,
            acting_user=acting_user,
        )
    return visit


@transaction.atomic
def duplicate_decide(*, case: DuplicateCase, decision: str, reason: str, acting_user: User) -> DuplicateCase:
    """Finance's decision on a suspected duplicate, with its reason; audited. The roster change itself (脱困, 注销,
    correcting an ID) is made on the person's page, where it is recorded in the archive history."""
    ensure_permission(user=acting_user, model=DuplicateCase, action=Action.CHANGE)
    case = DuplicateCase.objects.select_for_update().get(pk=case.pk)
    if case.decision != DuplicateDecision.OPEN:
        raise ValidationError(_("该疑似重复已处理。"))
    if decision == DuplicateDecision.OPEN:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("请写明处理理由。")})
    case.decision = DuplicateDecision(decision)
    case.reason = reason.strip()[:300]
    case.decided_by = acting_user
    case.decided_at = timezone.now()
    case.full_clean()
    case.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=case,
        detail=f"duplicate decided: {case.decision}: {case.reason}",
        changes={"decision": [DuplicateDecision.OPEN, case.decision]},
    )
    return case
