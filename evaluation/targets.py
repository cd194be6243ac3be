"""Writes to a program-year's 绩效目标表: start it, draft, 送审, 审核通过 or 退回, and 目标调整 after approval.

The table's indicators are the year's `Indicator` rows: while the table is submitted or approved their targets are
frozen (`indicator_save` refuses), so what finance approved is what the self-evaluation scores against; a change
after approval is a `TargetAdjustment` approved by a second person, and every step leaves a version.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.models import DecisionStatus
from core.permissions import ensure_permission
from core.scoping import Action
from evaluation import scoring
from evaluation.choices import Comparator, ComputedKey, TargetEvent, TargetStatus
from evaluation.indicators import FORMULAS, compute_all
from evaluation.models import Indicator, TargetAdjustment, TargetTable, TargetTableVersion
from evaluation.services import indicator_system_start
from funds.models import FiscalYear, Program, User


def target_table_content(table: TargetTable) -> dict:
    """The table as a version records it: the goal and every indicator's definition."""
    indicators = Indicator.objects.filter(program=table.program, fiscal_year=table.fiscal_year).order_by("sort_order")
    return {
        "department": table.department,
        "overall_goal": table.overall_goal,
        "indicators": [
            {
                "level1": i.get_level1_display(),
                "level2": i.get_level2_display(),
                "name": i.name,
                "value_type": i.value_type,
                "target": i.target_display(),
                "unit": i.get_unit_display(),
                "weight": format(i.weight, "f"),
                "explanation": i.explanation,
                "scoring_standard": i.scoring_standard,
            }
            for i in indicators
        ],
    }


def _record_version(table: TargetTable, event: str, acting_user: User, comment: str = "") -> TargetTableVersion:
    number = (table.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = TargetTableVersion(
        table=table,
        number=number,
        event=event,
        content=target_table_content(table),
        comment=comment,
        actor=acting_user,
        at=timezone.now(),
    )
    version.full_clean()
    version.save()
    return version


# Indicators whose next-year target starts from this year's actual value (counts of people reached); rates and
# amounts keep last year's targets (a rate of 100 % stays the target whatever was achieved).
PREFILLED_FROM_ACTUALS = (ComputedKey.HOUSEHOLDS_ASSISTED, ComputedKey.PERSONS_ASSISTED, ComputedKey.PERSONS_PAID)


def _prefill_from_actuals(program: Program, fiscal_year: FiscalYear) -> None:
    earlier = (
        Indicator.objects.filter(program=program, fiscal_year__year__lt=fiscal_year.year)
        .order_by("-fiscal_year__year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if earlier is None:
        return
    values = compute_all(program, FiscalYear.objects.get(pk=earlier))
    for key in PREFILLED_FROM_ACTUALS:
        actual = values[key].value
        if actual:
            Indicator.objects.filter(program=program, fiscal_year=fiscal_year, computed_key=key).update(
                target_value=actual
            )


def _locked(table: TargetTable) -> TargetTable:
    return TargetTable.objects.select_for_update().get(pk=table.pk)


@transaction.atomic
def target_table_start(
    *, program: Program, fiscal_year: FiscalYear, from_last_year: bool = False, acting_user: User
) -> TargetTable:
    """Open the year's 绩效目标表 for its responsible department, its indicators from last year's table (targets
    pre-filled from last year's actual values where they were computed) or from the built-in template."""
    ensure_permission(user=acting_user, model=TargetTable, action=Action.ADD)
    if TargetTable.objects.filter(program=program, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("{year}年{program}已有绩效目标表。").format(year=fiscal_year.year, program=program.short_name)
        )
    if not Indicator.objects.filter(program=program, fiscal_year=fiscal_year).exists():
        indicator_system_start(
            program=program, fiscal_year=fiscal_year, from_last_year=from_last_year, acting_user=acting_user
        )
        if from_last_year:
            _prefill_from_actuals(program, fiscal_year)
    # The columns a table needs beside the targets, where nobody has written them: the formula the system computes
    # (its docstring's first line) and the scoring rule in words.
    for indicator in Indicator.objects.filter(program=program, fiscal_year=fiscal_year):
        if not indicator.explanation and indicator.computed_key in FORMULAS:
            formula = (FORMULAS[indicator.computed_key].__doc__ or "").strip().splitlines()[0]
            indicator.explanation = (formula.rstrip(".") + "。")[:300]  # the docstrings end in an English full stop
        if not indicator.scoring_standard:
            indicator.scoring_standard = scoring.scoring_standard(indicator.comparator)
        indicator.save(update_fields=["explanation", "scoring_standard"])
    table = TargetTable(
        program=program,
        fiscal_year=fiscal_year,
        department=program.managing_department or program.name,
        updated_by=acting_user,
    )
    table.full_clean()
    table.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=table, detail=str(table))
    return table


@transaction.atomic
def target_table_save(
    *, table: TargetTable, overall_goal: str, acting_user: User, expected_version: int | None = None
) -> TargetTable:
    """Draft the 年度总体目标 (the indicators are edited on the indicator page while the table is a draft)."""
    ensure_permission(user=acting_user, model=TargetTable, action=Action.CHANGE)
    table = _locked(table)
    if expected_version is not None and expected_version != table.version:
        raise ValidationError(_("绩效目标表已被他人修改，请刷新页面后再修改。"), code="stale")
    if table.is_frozen:
        raise ValidationError(_("绩效目标表已送审或审核通过，不能直接修改；审核通过后的修改请提出目标调整。"))
    before = table.overall_goal
    table.overall_goal = overall_goal.strip()
    table.updated_by = acting_user
    table.version += 1
    table.full_clean()
    table.save()
    audit_record(
        action=AuditAction.UPDATE, actor=acting_user, obj=table, changes={"overall_goal": [before, table.overall_goal]}
    )
    return table


@transaction.atomic
def target_table_submit(*, table: TargetTable, acting_user: User) -> TargetTable:
    """送审: the draft (or the returned table, revised) goes to finance; its targets freeze."""
    ensure_permission(user=acting_user, model=TargetTable, action=Action.CHANGE)
    table = _locked(table)
    if table.status not in (TargetStatus.DRAFT, TargetStatus.RETURNED):
        raise ValidationError(_("只有编制中或已退回的绩效目标表可以送审。"))
    problems = []
    if not table.overall_goal:
        problems.append(_("请填写年度总体目标。"))
    if not Indicator.objects.filter(program=table.program, fiscal_year=table.fiscal_year).exists():
        problems.append(_("绩效目标表还没有绩效指标。"))
    if problems:
        raise ValidationError(problems)
    table.status = TargetStatus.SUBMITTED
    table.submitted_by, table.submitted_at = acting_user, timezone.now()
    table.reviewed_by, table.reviewed_at, table.review_comment = None, None, ""
    table.version += 1
    table.save()
    version = _record_version(table, TargetEvent.SUBMITTED, acting_user)
    audit_record(action=AuditAction.SUBMIT, actor=acting_user, obj=table, detail=f"version {version.number}")
    return table


@transaction.atomic
def target_table_review(*, table: TargetTable, approve: bool, comment: str, acting_user: User) -> TargetTable:
    """Finance's review: 审核通过 (the targets become what the year is scored against) or 退回 with comments."""
    ensure_permission(user=acting_user, model=TargetTable, action="review")
    table = _locked(table)
    if table.status != TargetStatus.SUBMITTED:
        raise ValidationError(_("只有已送审的绩效目标表可以审核。"))
    if table.submitted_by_id == acting_user.pk:
        raise PermissionDenied(_("绩效目标表须由送审人以外的财务人员审核。"))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见，说明需要修改什么。")})
    table.status = TargetStatus.APPROVED if approve else TargetStatus.RETURNED
    table.reviewed_by, table.reviewed_at, table.review_comment = acting_user, timezone.now(), comment
    table.version += 1
    table.full_clean()
    table.save()
    event = TargetEvent.APPROVED if approve else TargetEvent.RETURNED
    version = _record_version(table, event, acting_user, comment)
    audit_record(
        action=AuditAction.APPROVE if approve else AuditAction.RETURN,
        actor=acting_user,
        obj=table,
        detail=f"version {version.number}: {comment}"[:200],
    )
    return table


def approved_table(indicator: Indicator) -> TargetTable | None:
    return TargetTable.objects.filter(
        program=indicator.program_id, fiscal_year=indicator.fiscal_year_id, status=TargetStatus.APPROVED
    ).first()


@transaction.atomic
def target_adjustment_request(
    *,
    indicator: Indicator,
    new_target_value: Decimal | None,
    new_target_text: str,
    reason: str,
    acting_user: User,
) -> TargetAdjustment:
    """目标调整: ask to change an approved indicator's target, with the reason; another person decides."""
    ensure_permission(user=acting_user, model=TargetAdjustment, action=Action.ADD)
    if approved_table(indicator) is None:
        raise ValidationError(_("绩效目标表审核通过后才需要目标调整；编制中或已退回的目标表可直接修改。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请说明调整目标的原因。")})
    qualitative = indicator.comparator == Comparator.QUALITATIVE
    if qualitative and not new_target_text.strip():
        raise ValidationError({"new_target_text": _("请填写新的定性指标值。")})
    if not qualitative and new_target_value is None:
        raise ValidationError({"new_target_value": _("请填写新的指标值。")})
    adjustment = TargetAdjustment(
        indicator=indicator,
        old_target=indicator.target_display(),
        new_target_value=None if qualitative else new_target_value,
        new_target_text=new_target_text.strip() if qualitative else "",
        reason=reason.strip(),
        requested_by=acting_user,
    )
    adjustment.full_clean()
    adjustment.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=adjustment, detail=adjustment.reason)
    return adjustment


@transaction.atomic
def target_adjustment_decide(*, adjustment: TargetAdjustment, approve: bool, acting_user: User) -> TargetAdjustment:
    """Approve (the indicator's target changes, and the table records a 目标调整 version) or reject."""
    ensure_permission(user=acting_user, model=TargetTable, action="review")
    adjustment = TargetAdjustment.objects.select_for_update().get(pk=adjustment.pk)
    if adjustment.status != DecisionStatus.PENDING:
        raise ValidationError(_("该目标调整已处理。"))
    if adjustment.requested_by_id == acting_user.pk:
        raise PermissionDenied(_("目标调整须由申请人以外的另一位人员审核。"))
    adjustment.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
    adjustment.decided_by, adjustment.decided_at = acting_user, timezone.now()
    adjustment.full_clean()
    adjustment.save()
    if approve:
        indicator = Indicator.objects.select_for_update().get(pk=adjustment.indicator_id)
        before = indicator.target_display()
        if indicator.comparator == Comparator.QUALITATIVE:
            indicator.target_text = adjustment.new_target_text
        else:
            indicator.target_value = adjustment.new_target_value
        indicator.updated_by = acting_user
        indicator.full_clean()
        indicator.save()
        table = _locked(approved_table(indicator))
        table.version += 1
        table.save(update_fields=["version"])
        _record_version(
            table,
            TargetEvent.ADJUSTED,
            acting_user,
            _("“{name}”：{old} → {new}。原因：{reason}").format(
                name=indicator.name, old=before, new=indicator.target_display(), reason=adjustment.reason
            ),
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=indicator,
            detail="target adjusted",
            changes={"target": [before, indicator.target_display()]},
        )
    audit_record(
        action=AuditAction.APPROVE if approve else AuditAction.RETURN, actor=acting_user, obj=adjustment, detail=""
    )
    return adjustment
