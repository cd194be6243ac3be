from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff, snapshot
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.models import FiscalYear, PaymentStandard, User


@transaction.atomic
def payment_standard_save(*, standard: PaymentStandard, acting_user: User) -> PaymentStandard:
    """Create or update a payment standard (built by the form, validated again here)."""
    if standard.pk is None:
        ensure_permission(user=acting_user, model=PaymentStandard, action=Action.ADD)
        before = {}
    else:
        ensure_allowed(user=acting_user, obj=standard, action=Action.CHANGE)
        before = snapshot(PaymentStandard.objects.get(pk=standard.pk))
    if standard.organization_id is not None:
        ensure_allowed(user=acting_user, obj=standard.organization, action=Action.VIEW)
    standard.full_clean()
    standard.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    audit_record(action=action, actor=acting_user, obj=standard, changes=diff(before, snapshot(standard)))
    return standard


@dataclass(frozen=True)
class StandardCopyPlan:
    """What copying one year's standards to another would do: the new rows, and the ones the target already has."""

    to_create: list[PaymentStandard]
    already_there: list[PaymentStandard]


def payment_standards_copy_plan(*, from_year: FiscalYear, to_year: FiscalYear, user: User) -> StandardCopyPlan:
    """The preview: every standard of `from_year` the user may see, as it would be in `to_year`; a standard the
    target year already has for the same kind and organisation is left as it is (never overwritten)."""
    existing = {
        (s.payment_kind_id, s.organization_id)
        for s in PaymentStandard.objects.restrict(user).filter(fiscal_year=to_year)
    }
    to_create, already_there = [], []
    for source in (
        PaymentStandard.objects.restrict(user)
        .filter(fiscal_year=from_year)
        .select_related("payment_kind__program", "organization")
        .order_by("payment_kind__program__sort_order", "payment_kind__code", "organization__code")
    ):
        if (source.payment_kind_id, source.organization_id) in existing:
            already_there.append(source)
            continue
        to_create.append(
            PaymentStandard(
                fiscal_year=to_year,
                payment_kind=source.payment_kind,
                organization=source.organization,
                standard_type=source.standard_type,
                fixed_amount=source.fixed_amount,
                min_amount=source.min_amount,
                max_amount=source.max_amount,
                basis=source.basis,
            )
        )
    return StandardCopyPlan(to_create, already_there)


@transaction.atomic
def payment_standards_copy(*, from_year: FiscalYear, to_year: FiscalYear, acting_user: User) -> list[PaymentStandard]:
    """复制上年补助标准: all the previewed rows or none (each validated), one audit event per standard."""
    ensure_permission(user=acting_user, model=PaymentStandard, action=Action.ADD)
    if from_year.pk == to_year.pk:
        raise ValidationError(_("请选择不同的年度。"))
    plan = payment_standards_copy_plan(from_year=from_year, to_year=to_year, user=acting_user)
    for standard in plan.to_create:
        standard.full_clean()
        standard.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=acting_user,
            obj=standard,
            detail=f"copied from {from_year.year}",
            changes=diff({}, snapshot(standard)),
        )
    return plan.to_create
