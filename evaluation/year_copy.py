"""The indicator targets' part of 复制上年补助标准 (funds.views.standards, through settings.STANDARD_COPY_COMPANIONS):
a new year's standards and its indicator system are copied in one action, with one preview."""

from django.utils.translation import gettext as _

from core.scoping import Action
from evaluation.models import Indicator
from evaluation.services import indicator_system_start
from funds.models import FiscalYear, Program, User


def _programs_to_copy(from_year: FiscalYear, to_year: FiscalYear, user: User) -> list[tuple[Program, int]]:
    copied = []
    for program in Program.objects.restrict(user).order_by("sort_order"):
        if Indicator.objects.filter(program=program, fiscal_year=to_year).exists():
            continue
        count = Indicator.objects.filter(program=program, fiscal_year=from_year).count()
        if count:
            copied.append((program, count))
    return copied


def preview(*, from_year: FiscalYear, to_year: FiscalYear, user: User) -> list[str]:
    """One line per program whose indicator system would be copied (the target year has none yet)."""
    if not user.has_perm(f"evaluation.{Action.ADD}_indicator"):
        return []
    return [
        _("{program}：复制 {year} 年的 {n} 项绩效指标（年度指标值、分值、计算方式；不含完成值）").format(
            program=program.short_name, year=from_year.year, n=count
        )
        for program, count in _programs_to_copy(from_year, to_year, user)
    ]


def apply(*, from_year: FiscalYear, to_year: FiscalYear, acting_user: User) -> str:
    """Copy what preview listed (in the caller's transaction); the sentence for the confirmation message."""
    programs = _programs_to_copy(from_year, to_year, acting_user)
    for program, _count in programs:
        indicator_system_start(program=program, fiscal_year=to_year, source_year=from_year, acting_user=acting_user)
    if not programs:
        return ""
    return _("并复制了{programs}的绩效指标。").format(programs="、".join(p.short_name for p, _n in programs))
