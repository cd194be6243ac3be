"""The evaluation's part of "what needs me now" (core.todos): parameters a year still lacks, consistency findings,
and an organisation's deadlines (payments from 发放报送开始日期 to 发放截止日期, living surveys by their deadline)."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import LivingSurvey, ModelWorker
from core.todos import Todo
from evaluation.consistency import data_findings
from evaluation.deadlines import survey_deadline
from evaluation.models import ProgramYearSettings
from funds.choices import BeneficiaryKind
from funds.models import Appropriation, FiscalYear, Program, User
from funds.selectors import SubmissionState, submission_board

SOON = 30  # days before a deadline from which it is listed as urgent


def finance_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    if fiscal_year is None or not user.has_perm("evaluation.change_programyearsettings"):
        return []
    budgeted = Appropriation.objects.restrict(user).filter(fiscal_year=fiscal_year).values_list("program", flat=True)
    settled = set(ProgramYearSettings.objects.filter(fiscal_year=fiscal_year).values_list("program", flat=True))
    todos = []
    for program in Program.objects.restrict(user).filter(pk__in=list(budgeted)):
        late = _late_organisations(user, program, fiscal_year)
        if late:
            todos.append(late)
        if program.pk not in settled:
            todos.append(
                Todo(
                    _(
                        "{year}年{program}还没有年度评价参数（发放截止日期、覆盖率基准日）：按时发放率、覆盖率无法计算。"
                    ).format(year=fiscal_year.year, program=program.short_name),
                    reverse("evaluation:year_inputs", args=[program.code, fiscal_year.year]),
                )
            )
        for finding in data_findings(program, fiscal_year):
            todos.append(
                Todo(
                    _("{program}一致性检查：{message}").format(program=program.short_name, message=finding.message),
                    reverse("evaluation:dashboard") + f"?year={fiscal_year.year}",
                )
            )
    return todos


def _late_organisations(user: User, program: Program, fiscal_year: FiscalYear) -> Todo | None:
    """Once payment reporting is open (or within SOON days of the deadline), the organisations that have not reported
    all their allocation, from the submission board's own figures."""
    settings = ProgramYearSettings.objects.filter(program=program, fiscal_year=fiscal_year).first()
    if settings is None:
        return None
    today = timezone.localdate()
    opens = settings.payments_open_on or settings.payment_deadline - datetime.timedelta(days=SOON)
    if today < opens:
        return None
    rows = submission_board(user=user, program=program, fiscal_year=fiscal_year)
    states = [row.state for row in rows if row.allocated]
    missing = states.count(SubmissionState.NOT_SUBMITTED)
    partial = states.count(SubmissionState.PARTIAL)
    if not missing and not partial:
        return None
    return Todo(
        _("{program}报送进度：{missing} 个单位未报送、{partial} 个部分报送（发放截止 {day}）").format(
            program=program.short_name, missing=missing, partial=partial, day=settings.payment_deadline
        ),
        reverse("funds:submission_board") + f"?year={fiscal_year.year}&program={program.code}",
        urgent=today > settings.payment_deadline,
    )


def _deadline(what: str, day: datetime.date, today: datetime.date, url: str, extra: str = "") -> Todo | None:
    if day < today:
        return None
    left = (day - today).days
    message = _("{what}截止 {day}（还有 {left} 天）").format(what=what, day=day, left=left)
    return Todo(f"{message}{extra}", url, urgent=left <= SOON)


def operator_todos(user: User, fiscal_year: FiscalYear | None) -> list[Todo]:
    """The deadlines of an organisation's year, with how far its living surveys are."""
    if fiscal_year is None or user.organization_id is None or not user.has_perm("funds.add_importbatch"):
        return []
    today = timezone.localdate()
    todos = []
    upload = reverse("imports:import_upload")
    for program in Program.objects.restrict(user):
        settings = ProgramYearSettings.objects.filter(program=program, fiscal_year=fiscal_year).first()
        if settings is not None:
            opens = settings.payments_open_on
            extra = ""
            if opens and today < opens:
                extra = _("；{day} 起报送").format(day=opens)
            todo = _deadline(
                _("{program}发放").format(program=program.short_name), settings.payment_deadline, today, upload, extra
            )
            if todo:
                todos.append(todo)
        if program.beneficiary_kind == BeneficiaryKind.MODEL_WORKER:
            day = survey_deadline(fiscal_year)
            roster = ModelWorker.objects.filter(organization=user.organization_id).living_on(day).count()
            surveyed = LivingSurvey.objects.filter(
                Q(model_worker__organization=user.organization_id), fiscal_year=fiscal_year
            ).count()
            todo = _deadline(
                _("劳模生活状况摸底调查"),
                day,
                today,
                upload,
                _("：已调查 {done} 人 / 在册健在 {roster} 人").format(done=surveyed, roster=roster),
            )
            if todo:
                todos.append(todo)
    return todos
