"""The reports' part of "what needs me now" (core.todos): finalisations waiting for a second person, and for
auditors the finalised reports of the year (each report's page says whether its data changed since)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.todos import Todo
from funds.models import FiscalYear, User
from reports.choices import DEPARTMENT_SCOPE
from reports.models import Report, ReportSnapshot


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
