"""The budget-performance calendar of a program-year: each stage's deadline, who acts, whether it is done.

Stages (the cycle of 预算绩效管理): 绩效目标申报, each 运行监控 date, 生活状况调查 (model workers), 发放报送, 自评报告
报送 — the dates are finance's 年度评价参数 (evaluation.ProgramYearSettings). Shown on the home pages of those who
must act (reports.todos.calendar_todos) and on the submission board (settings.BOARD_CALENDAR_PROVIDER).
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.choices import TargetStatus
from evaluation.deadlines import survey_deadline
from evaluation.models import ProgramYearSettings, TargetTable
from funds.choices import BeneficiaryKind, Role
from funds.models import FiscalYear, Program
from reports.models import MonitoringSnapshot, ReportSnapshot


@dataclass(frozen=True)
class Deadline:
    stage: str
    due: datetime.date
    roles: frozenset[str]  # who must act
    done: bool | None  # None: not something the system can tell is done (an upload window, a survey round)
    url: str = ""

    @property
    def overdue(self) -> bool:
        return self.done is False and self.due < timezone.localdate()

    @property
    def roles_label(self) -> str:
        return "、".join(str(Role(role).label) for role in sorted(self.roles))

    @property
    def state(self) -> str:
        if self.done:
            return _("已完成")
        if self.overdue:
            return _("已逾期")
        return _("未完成") if self.done is False else _("进行中")


FINANCE = frozenset({Role.FINANCE})
DEPARTMENT_AND_FINANCE = frozenset({Role.DEPARTMENT, Role.FINANCE})
OPERATORS = frozenset({Role.OPERATOR})


def year_calendar(program: Program, fiscal_year: FiscalYear) -> list[Deadline]:
    """The program-year's deadlines in date order (stages without a date are left out)."""
    settings_row = ProgramYearSettings.objects.filter(program=program, fiscal_year=fiscal_year).first()
    if settings_row is None:
        return []
    year = fiscal_year.year
    deadlines = []
    if settings_row.targets_due:
        approved = TargetTable.objects.filter(
            program=program, fiscal_year=fiscal_year, status=TargetStatus.APPROVED
        ).exists()
        deadlines.append(
            Deadline(
                _("绩效目标申报"),
                settings_row.targets_due,
                DEPARTMENT_AND_FINANCE,
                approved,
                reverse("evaluation:target_table", args=[program.code, year]),
            )
        )
    for day in (settings_row.first_monitoring_on, settings_row.second_monitoring_on):
        if day:
            finalised = MonitoringSnapshot.objects.filter(
                report__program=program, report__fiscal_year=fiscal_year, report__as_of=day
            ).exists()
            deadlines.append(
                Deadline(
                    _("绩效运行监控（截至{day}）").format(day=day.isoformat()),
                    day,
                    FINANCE,
                    finalised,
                    reverse("reports:monitoring_list") + f"?year={year}",
                )
            )
    if program.beneficiary_kind == BeneficiaryKind.MODEL_WORKER:
        deadlines.append(Deadline(_("劳模生活状况调查"), survey_deadline(fiscal_year), OPERATORS, None))
    deadlines.append(Deadline(_("发放明细报送"), settings_row.payment_deadline, OPERATORS, None))
    if settings_row.self_evaluation_due:
        finalised = ReportSnapshot.objects.filter(report__program=program, report__fiscal_year=fiscal_year).exists()
        deadlines.append(
            Deadline(
                _("绩效自评报告报送"),
                settings_row.self_evaluation_due,
                FINANCE,
                finalised,
                reverse("reports:report_detail", args=[program.code, year]),
            )
        )
    return sorted(deadlines, key=lambda d: d.due)


def board_calendar(program: Program, fiscal_year: FiscalYear) -> list[Deadline]:
    """For the submission board (funds may not import reports: reached through settings.BOARD_CALENDAR_PROVIDER)."""
    return year_calendar(program, fiscal_year)
