"""The money app's part of "what needs me now" (core.todos): approvals waiting for a second person, reversals to
execute, refused uploads, what a new year still lacks."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import DecisionStatus
from core.scoping import Action
from core.todos import Todo
from funds.choices import ImportStatus, PlanStatus
from funds.models import AllocationPlan, FiscalYear, ImportBatch, PaymentReversalRequest, User
from funds.selectors import year_warnings


def finance_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    todos = []
    if user.has_perm("funds.approve_allocationplan"):
        # Not the plans the user wrote: maker–checker means they wait for someone else.
        waiting = (
            AllocationPlan.objects.restrict(user, Action.VIEW)
            .filter(status=PlanStatus.SUBMITTED)
            .exclude(authors=user)
            .select_related("program", "fiscal_year")
        )
        for plan in waiting:
            todos.append(
                Todo(
                    _("待您审批：{plan}（{by} 提交）").format(plan=plan.title, by=plan.submitted_by),
                    reverse("funds:plan_detail", args=[plan.pk]),
                    urgent=True,
                )
            )
    if user.has_perm("funds.reverse_importbatch"):
        requested = (
            ImportBatch.objects.restrict(user, Action.VIEW)
            .filter(status=ImportStatus.IMPORTED, reversal_requested_at__isnull=False)
            .exclude(reversal_requested_by=user)
            .select_related("organization")
        )
        for batch in requested:
            todos.append(
                Todo(
                    _("待您执行冲销：{org} 导入批次 #{n}（{by} 申请：{reason}）").format(
                        org=batch.organization.short_name,
                        n=batch.pk,
                        by=batch.reversal_requested_by,
                        reason=batch.reversal_reason,
                    ),
                    reverse("imports:import_detail", args=[batch.pk]),
                    urgent=True,
                )
            )
    if user.has_perm("funds.change_paymentreversalrequest"):
        single = (
            PaymentReversalRequest.objects.restrict(user, Action.CHANGE)
            .filter(status=DecisionStatus.PENDING)
            .exclude(requested_by=user)
            .select_related("disbursement__paying_organization", "requested_by")
        )
        for asked in single:
            todos.append(
                Todo(
                    _("待您确认单笔冲销：{org} 发放记录 #{n}（{by} 申请：{reason}）").format(
                        org=asked.disbursement.paying_organization.short_name,
                        n=asked.disbursement_id,
                        by=asked.requested_by,
                        reason=asked.reason,
                    ),
                    reverse("funds:payment_detail", args=[asked.disbursement_id]),
                    urgent=True,
                )
            )
    if fiscal_year is not None:
        for warning in year_warnings(user=user, fiscal_year=fiscal_year):
            todos.append(Todo(warning.message, reverse(warning.url_name)))
    return todos


def operator_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    """An organisation's own uploads that were refused and not yet followed by an imported one of the same kind."""
    if not user.has_perm("funds.add_importbatch") or user.organization_id is None:
        return []
    mine = ImportBatch.objects.restrict(user, Action.VIEW).filter(organization=user.organization_id)
    if fiscal_year is not None:
        mine = mine.filter(Q(fiscal_year=fiscal_year) | Q(fiscal_year__isnull=True))
    todos = []
    for batch in mine.filter(status__in=[ImportStatus.REFUSED, ImportStatus.FAILED]).order_by("-created_at")[:20]:
        later = mine.filter(kind=batch.kind, status=ImportStatus.IMPORTED, created_at__gt=batch.created_at)
        if batch.program_id:
            later = later.filter(program=batch.program_id)
        if later.exists():
            continue
        todos.append(
            Todo(
                _("“{file}”未导入：{status}，{n} 处错误，请按错误报告改正后重新上传").format(
                    file=batch.file_name, status=batch.get_status_display(), n=batch.error_count
                ),
                reverse("imports:import_detail", args=[batch.pk]),
                urgent=True,
            )
        )
    for batch in mine.filter(status=ImportStatus.PREVIEWED, created_by=user):
        todos.append(
            Todo(
                _("“{file}”已通过校验，等待您确认导入或放弃").format(file=batch.file_name),
                reverse("imports:import_detail", args=[batch.pk]),
            )
        )
    return todos
