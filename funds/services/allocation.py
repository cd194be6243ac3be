import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff, snapshot
from core.money import format_yuan, quantize
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import OrganizationKind, PlanStatus
from funds.models import AllocationLine, AllocationPlan, Appropriation, FiscalYear, Organization, Program, User
from funds.selectors import allocation_capacity


@dataclass(frozen=True)
class PlanLineInput:
    organization: Organization
    amount: Decimal
    note: str = ""


def _lock_program_year(program: Program, fiscal_year: FiscalYear) -> None:
    # The appropriation row is the mutex for a program-year's allocation capacity: plans saved, submitted
    # or approved concurrently serialise here, so together they can never exceed the funds received.
    list(Appropriation.objects.select_for_update().filter(program=program, fiscal_year=fiscal_year))


def _check_version(plan: AllocationPlan, expected_version: int | None) -> None:
    # None only from code that has just read the plan itself; every form passes the version it showed.
    if expected_version is not None and expected_version != plan.version:
        raise ValidationError(
            _("该方案已被他人修改（您打开页面后又有保存、提交、退回或审批），请刷新页面，看过最新内容后再操作。"),
            code="stale",
        )


def _check_capacity(plan: AllocationPlan, total: Decimal) -> None:
    capacity = allocation_capacity(program=plan.program, fiscal_year=plan.fiscal_year, excluding_plan=plan)
    if total > capacity.available:
        raise ValidationError(
            _(
                "分配合计 {total} 元超过可分配资金 {available} 元"
                "（{year}年{program}已到位 {received} 元，其他已提交或已审批的方案已分配 {allocated} 元）。"
            ).format(
                total=format_yuan(total),
                available=format_yuan(capacity.available),
                year=plan.fiscal_year.year,
                program=plan.program.short_name,
                received=format_yuan(capacity.received),
                allocated=format_yuan(capacity.allocated_elsewhere),
            ),
            code="over_allocated",
        )


@transaction.atomic
def allocation_plan_save(
    *,
    program: Program,
    fiscal_year: FiscalYear,
    title: str,
    plan_date: datetime.date,
    approval_reference: str = "",
    lines: Sequence[PlanLineInput],
    acting_user: User,
    plan: AllocationPlan | None = None,
    expected_version: int | None = None,
) -> AllocationPlan:
    """Create or rewrite a draft plan with its lines. Only drafts change; lines must fit the funds received.

    A submitted plan is frozen: to change it, the reviewer returns it to draft first. Whoever saves becomes one of
    its authors, and no author may approve it.
    """
    if plan is None:
        ensure_permission(user=acting_user, model=AllocationPlan, action=Action.ADD)
        plan = AllocationPlan(created_by=acting_user, status=PlanStatus.DRAFT)
        before, before_lines = {}, ""
    else:
        ensure_allowed(user=acting_user, obj=plan, action=Action.CHANGE)
        plan = AllocationPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status != PlanStatus.DRAFT:
            raise ValidationError(_("已提交或已审批的分配方案不能修改。"), code="plan_locked")
        _check_version(plan, expected_version)
        before, before_lines = snapshot(plan), _lines_text(plan)
        plan.version += 1
    plan.program = program
    plan.fiscal_year = fiscal_year
    plan.title = title
    plan.plan_date = plan_date
    plan.approval_reference = approval_reference
    plan.full_clean()

    if not lines:
        raise ValidationError(_("分配方案至少需要一个分配单位。"), code="no_lines")
    seen: set[int] = set()
    allowed_orgs = set(Organization.objects.restrict(acting_user, Action.VIEW).values_list("pk", flat=True))
    for line in lines:
        if line.organization.pk not in allowed_orgs:
            raise PermissionDenied(_("不能向您权限范围以外的单位分配资金。"))
        if line.organization.kind == OrganizationKind.FEDERATION:
            raise ValidationError(_("资金分配给下级工会，不能分配给自治区总工会本级。"), code="line_federation")
        if line.organization.pk in seen:
            raise ValidationError(
                _("“{org}”在方案中出现了两次。").format(org=line.organization.short_name), code="line_duplicate"
            )
        seen.add(line.organization.pk)

    _lock_program_year(program, fiscal_year)
    total = sum((quantize(line.amount) for line in lines), Decimal("0"))
    _check_capacity(plan, total)

    plan.save()
    plan.lines.all().delete()
    for line in lines:
        row = AllocationLine(plan=plan, organization=line.organization, amount=quantize(line.amount), note=line.note)
        row.full_clean()
        row.save()
    plan.authors.add(acting_user)
    changes = diff(before, snapshot(plan))
    changes["lines"] = [before_lines, _lines_text(plan)]
    audit_record(
        action=AuditAction.UPDATE if before else AuditAction.CREATE, actor=acting_user, obj=plan, changes=changes
    )
    return plan


def _lines_text(plan: AllocationPlan) -> str:
    return "; ".join(f"{line.organization.code}={line.amount}" for line in plan.lines.select_related("organization"))


@transaction.atomic
def allocation_plan_submit(
    *, plan: AllocationPlan, acting_user: User, expected_version: int | None = None
) -> AllocationPlan:
    """Freeze a draft for review, recording the hash of its content; the submitter becomes one of its authors."""
    ensure_allowed(user=acting_user, obj=plan, action=Action.CHANGE)
    plan = AllocationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("只有草稿状态的方案可以提交。"), code="not_draft")
    _check_version(plan, expected_version)
    _lock_program_year(plan.program, plan.fiscal_year)
    _check_capacity(plan, plan.total_amount())
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = acting_user
    plan.submitted_content_hash = plan.content_hash()
    plan.review_comment = ""
    plan.version += 1
    plan.full_clean()
    plan.save()
    plan.authors.add(acting_user)
    audit_record(
        action=AuditAction.SUBMIT,
        actor=acting_user,
        obj=plan,
        changes={"status": ["draft", "submitted"], "content_hash": ["", plan.submitted_content_hash]},
    )
    return plan


def _ensure_not_author(plan: AllocationPlan, acting_user: User) -> None:
    if plan.created_by_id == acting_user.pk:
        raise PermissionDenied(_("分配方案不能由编制人本人审批，请由另一位财务人员审批。"))
    if plan.authors.filter(pk=acting_user.pk).exists():
        raise PermissionDenied(_("您修改或提交过该方案，不能再审批它；请由未参与编制的另一位财务人员审批。"))


@transaction.atomic
def allocation_plan_approve(
    *, plan: AllocationPlan, acting_user: User, comment: str = "", expected_version: int | None = None
) -> AllocationPlan:
    """Maker–checker: a finance user who did not write the plan approves exactly the content that was submitted."""
    ensure_allowed(user=acting_user, obj=plan, action=Action.APPROVE)
    plan = AllocationPlan.objects.select_for_update().get(pk=plan.pk)
    _ensure_not_author(plan, acting_user)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(
            _("只有已提交待审批的方案可以审批（当前状态：{status}）。").format(status=plan.get_status_display()),
            code="not_submitted",
        )
    _check_version(plan, expected_version)
    content_hash = plan.content_hash()
    if content_hash != plan.submitted_content_hash:
        # Only possible by writing around the services (the admin, the shell): refuse rather than approve it.
        raise ValidationError(
            _("方案内容在提交后被改动过，与提交时不一致，不能审批；请退回修改后重新提交。"), code="content_changed"
        )
    _lock_program_year(plan.program, plan.fiscal_year)
    _check_capacity(plan, plan.total_amount())
    plan.status = PlanStatus.APPROVED
    plan.approved_by = acting_user
    plan.approved_at = timezone.now()
    plan.approved_content_hash = content_hash
    plan.review_comment = comment.strip()
    plan.version += 1
    plan.full_clean()
    plan.save()
    audit_record(
        action=AuditAction.APPROVE,
        actor=acting_user,
        obj=plan,
        detail=plan.review_comment,
        changes={"status": ["submitted", "approved"], "content_hash": ["", content_hash]},
    )
    return plan


@transaction.atomic
def allocation_plan_return(
    *, plan: AllocationPlan, acting_user: User, comment: str, expected_version: int | None = None
) -> AllocationPlan:
    """Send a submitted plan back to draft for correction (the reviewer's 'reject'), always with a reason."""
    ensure_allowed(user=acting_user, obj=plan, action=Action.APPROVE)
    plan = AllocationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("只有已提交待审批的方案可以退回。"), code="not_submitted")
    if not comment.strip():
        raise ValidationError({"comment": _("退回修改须填写退回原因。")}, code="no_reason")
    _check_version(plan, expected_version)
    plan.status = PlanStatus.DRAFT
    plan.submitted_at = None
    plan.submitted_by = None
    plan.submitted_content_hash = ""
    plan.review_comment = comment.strip()
    plan.version += 1
    plan.full_clean()
    plan.save()
    audit_record(
        action=AuditAction.RETURN,
        actor=acting_user,
        obj=plan,
        detail=plan.review_comment,
        changes={"status": ["submitted", "draft"], "review_comment": ["", plan.review_comment]},
    )
    return plan
