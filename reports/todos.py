"""The reports' part of "what needs me now" (core.todos): finalisations waiting for a second person, for auditors
the finalised reports of the year (each report's page says whether its data changed since), the performance cycle's
decisions (targets, adjustments, monitoring) and its calendar."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import DecisionStatus
from core.todos import Todo
from evaluation.choices import TargetStatus
from evaluation.models import TargetAdjustment, TargetTable
from funds.models import FiscalYear, Program, User
from reports.calendar import DEPARTMENT_AND_FINANCE, FINANCE, year_calendar
from reports.choices import DEPARTMENT_SCOPE
from reports.models import MonitoringReport, Report, ReportSnapshot


def _scope(report: Report) -> str:
    return report.program.code if report.program_id else DEPARTMENT_SCOPE


def finance_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    if not user.has_perm("reports.add_reportsnapshot"):
        return []
    waiting = (
        Report.objects.restrict(user)
        .filter(finalisation_requested_at__isnull=False)
        .exclude(authors=user)
        .select_related("program", "fiscal_year", "finalisation_requested_by")
    )
    return [
        Todo(
            _("待您定稿：{report}（{by} 申请）").format(report=report, by=report.finalisation_requested_by),
            reverse("reports:report_detail", args=[_scope(report), report.fiscal_year.year]),
            urgent=True,
        )
        for report in waiting
    ]


def auditor_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    if (
        fiscal_year is None
        or user.has_perm("reports.change_report")
        or not user.has_perm("reports.view_reportsnapshot")
    ):
        return []
    snapshots = (
        ReportSnapshot.objects.restrict(user)
        .filter(report__fiscal_year=fiscal_year)
        .select_related("report", "report__program", "report__fiscal_year")
        .order_by("report", "-number")
        .distinct()
    )
    latest: dict[int, ReportSnapshot] = {}
    for snapshot in snapshots:
        latest.setdefault(snapshot.report_id, snapshot)
    return [
        Todo(
            _("已定稿：{report} 第 {n} 版（{at}）——报告页标明定稿后数据是否有变动").format(
                report=snapshot.report, n=snapshot.number, at=snapshot.finalised_at.date()
            ),
            reverse("reports:report_detail", args=[_scope(snapshot.report), fiscal_year.year]),
        )
        for snapshot in latest.values()
    ]


SOON = 30  # days before a deadline from which the calendar lists it


def calendar_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    """The calendar's open stages for the user's role (reports.calendar): due within SOON days, or overdue (urgent).
    Operators' upload and survey windows are listed by evaluation.todos.operator_todos, so only the others here."""
    if fiscal_year is None or not user.roles & (FINANCE | DEPARTMENT_AND_FINANCE):
        return []
    today = timezone.localdate()
    todos = []
    for program in Program.objects.restrict(user):
        for deadline in year_calendar(program, fiscal_year):
            if deadline.done is not False or not user.roles & deadline.roles:
                continue
            if deadline.overdue:
                message = _("已逾期：{program}{stage}（截止 {due}）")
            elif (deadline.due - today).days <= SOON:
                message = _("{program}{stage}截止 {due}")
            else:
                continue
            todos.append(
                Todo(
                    message.format(program=program.short_name, stage=deadline.stage, due=deadline.due.isoformat()),
                    deadline.url,
                    urgent=deadline.overdue,
                )
            )
    return todos


def performance_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    """The performance cycle's decisions waiting for this user: a 绩效目标表 to review or to revise, a 目标调整 to
    decide, a monitoring report to confirm."""
    todos = []
    if user.has_perm("evaluation.review_targettable"):
        for table in (
            TargetTable.objects.restrict(user)
            .filter(status=TargetStatus.SUBMITTED)
            .exclude(submitted_by=user)
            .select_related("program", "fiscal_year")
        ):
            todos.append(
                Todo(
                    _("待您审核：{table}（{by} 送审）").format(table=table, by=table.submitted_by),
                    reverse("evaluation:target_table", args=[table.program.code, table.fiscal_year.year]),
                    urgent=True,
                )
            )
        pending = (
            TargetAdjustment.objects.restrict(user)
            .filter(status=DecisionStatus.PENDING)
            .exclude(requested_by=user)
            .select_related("indicator__program", "indicator__fiscal_year")
        )
        for adjustment in pending:
            indicator = adjustment.indicator
            todos.append(
                Todo(
                    _("待您审核目标调整：{indicator}").format(indicator=indicator),
                    reverse("evaluation:target_table", args=[indicator.program.code, indicator.fiscal_year.year]),
                    urgent=True,
                )
            )
    if user.has_perm("evaluation.change_targettable"):
        for table in (
            TargetTable.objects.restrict(user)
            .filter(status=TargetStatus.RETURNED)
            .select_related("program", "fiscal_year")
        ):
            todos.append(
                Todo(
                    _("已退回待修改：{table}——{comment}").format(table=table, comment=table.review_comment),
                    reverse("evaluation:target_table", args=[table.program.code, table.fiscal_year.year]),
                    urgent=True,
                )
            )
    if user.has_perm("reports.add_monitoringsnapshot"):
        waiting = (
            MonitoringReport.objects.restrict(user)
            .filter(finalisation_requested_at__isnull=False)
            .exclude(authors=user)
            .select_related("program", "fiscal_year", "finalisation_requested_by")
        )
        for report in waiting:
            todos.append(
                Todo(
                    _("待您定稿：{report}（{by} 申请）").format(report=report, by=report.finalisation_requested_by),
                    reverse("reports:monitoring_detail", args=[report.pk]),
                    urgent=True,
                )
            )
    return todos
