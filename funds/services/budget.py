import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff, snapshot
from core.money import ZERO, format_yuan, quantize
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import FundingSource
from funds.models import Appropriation, AppropriationLine, DepartmentBudgetLine, FiscalYear, FundsReceipt, Program, User


@transaction.atomic
def appropriation_save(
    *,
    program: Program,
    fiscal_year: FiscalYear,
    budgets: Mapping[str, tuple[Decimal, Decimal]],
    document: str = "",
    note: str = "",
    acting_user: User,
    appropriation: Appropriation | None = None,
) -> Appropriation:
    """Create or update a program's budget for a year. `budgets` maps a FundingSource to (年初, 全年)."""
    if appropriation is None:
        ensure_permission(user=acting_user, model=Appropriation, action=Action.ADD)
        appropriation = Appropriation(program=program, fiscal_year=fiscal_year, created_by=acting_user)
        before = {}
    else:
        ensure_allowed(user=acting_user, obj=appropriation, action=Action.CHANGE)
        before = _budget_snapshot(appropriation)
    appropriation.document = document
    appropriation.note = note
    appropriation.full_clean()
    appropriation.save()

    received_by_source = dict(
        appropriation.receipts.values("source").annotate(total=Sum("amount")).values_list("source", "total")
    )
    errors = []
    for source in FundingSource:
        initial, annual = budgets.get(source, (ZERO, ZERO))
        received = received_by_source.get(source) or ZERO
        if quantize(annual) < received:
            errors.append(
                _("{source}的全年预算数 {annual} 元低于已到位的 {received} 元。").format(
                    source=source.label, annual=format_yuan(annual), received=format_yuan(received)
                )
            )
        line = AppropriationLine.objects.filter(appropriation=appropriation, source=source).first()
        line = line or AppropriationLine(appropriation=appropriation, source=source)
        line.initial_budget = quantize(initial)
        line.annual_budget = quantize(annual)
        line.full_clean()
        line.save()
    if errors:
        raise ValidationError(errors)
    audit_record(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=acting_user,
        obj=appropriation,
        changes=diff(before, _budget_snapshot(appropriation)),
    )
    return appropriation


def _budget_snapshot(appropriation: Appropriation) -> dict[str, str]:
    values = snapshot(appropriation)
    for line in appropriation.lines.all():
        values[f"{line.source}.initial_budget"] = str(line.initial_budget)
        values[f"{line.source}.annual_budget"] = str(line.annual_budget)
    return values


@transaction.atomic
def funds_receipt_create(
    *,
    appropriation: Appropriation,
    source: str,
    amount: Decimal,
    received_on: datetime.date,
    document: str = "",
    note: str = "",
    acting_user: User,
) -> FundsReceipt:
    """Record money that arrived. Refused when it would take a source past its 全年预算数."""
    ensure_permission(user=acting_user, model=FundsReceipt, action=Action.ADD)
    # Lock the appropriation so two clerks recording receipts at once cannot both pass the budget check.
    appropriation = Appropriation.objects.select_for_update().get(pk=appropriation.pk)
    receipt = FundsReceipt(
        appropriation=appropriation,
        source=source,
        amount=quantize(amount),
        received_on=received_on,
        document=document,
        note=note,
        created_by=acting_user,
    )
    receipt.full_clean()
    budget = (
        AppropriationLine.objects.filter(appropriation=appropriation, source=source)
        .values_list("annual_budget", flat=True)
        .first()
    ) or ZERO
    already = appropriation.receipts.filter(source=source).aggregate(total=Sum("amount"))["total"] or ZERO
    if already + receipt.amount > budget:
        raise ValidationError(
            {
                "amount": _(
                    "{source}累计到位将达到 {total} 元，超过全年预算数 {budget} 元（已到位 {already} 元）。"
                ).format(
                    source=FundingSource(source).label,
                    total=format_yuan(already + receipt.amount),
                    budget=format_yuan(budget),
                    already=format_yuan(already),
                )
            }
        )
    receipt.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=receipt, changes=diff({}, snapshot(receipt)))
    return receipt


@transaction.atomic
def department_budget_line_save(*, line: DepartmentBudgetLine, acting_user: User) -> DepartmentBudgetLine:
    """Create or update one of the department's other budget lines (for the department-wide report)."""
    if line.pk is None:
        ensure_permission(user=acting_user, model=DepartmentBudgetLine, action=Action.ADD)
        line.created_by = acting_user
        before = {}
    else:
        ensure_allowed(user=acting_user, obj=line, action=Action.CHANGE)
        before = snapshot(DepartmentBudgetLine.objects.get(pk=line.pk))
    for name in ("initial_budget", "annual_budget", "executed"):
        setattr(line, name, quantize(getattr(line, name)))
    line.full_clean()
    line.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    audit_record(action=action, actor=acting_user, obj=line, changes=diff(before, snapshot(line)))
    return line
