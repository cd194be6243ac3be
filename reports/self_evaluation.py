"""项目支出绩效自评表 / 部门整体支出绩效目标自评表: one structure, drawn as .xlsx (reports/workbooks.py) and as the
PDF's table (reports/templates/reports/_self_evaluation_table.html), both in the nine-column official layout.

Both come from `evaluation.selectors.evaluate` — the same figures as the dashboard — so the table, the report text
and the dashboard cannot disagree.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import DecisionStatus
from core.money import ZERO
from evaluation.selectors import Evaluation
from evaluation.templatetags.indicators import actual_display
from reports.figures import BudgetRow, FundsBySource, federation, funds_by_source


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None
    reason: str


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the indicator part with its merged cells: `level1_span` / `level2_span` is the number of rows
    the 一级 / 二级 cell covers on the first row of its run, 0 on the rows it covers."""

    line: IndicatorLine
    level1_span: int
    level2_span: int


def merge_runs(keys: list) -> list[int]:
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


@dataclass
class SelfEvaluationTable:
    """The 项目支出绩效自评表 of one program-year. Amounts in yuan; drawn in 万元."""

    year: int
    project: str
    department: str
    implementer: str
    funds: list[FundsBySource]
    annual_budget: Decimal
    executed: Decimal
    execution_rate: Decimal | None
    execution_score: Decimal
    goal: str
    outcome: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    total: Decimal = ZERO
    grade: str = ""
    scoring_rules: str = ""  # “评分规则：…”, printed under the table
    uncapped_total: Decimal = ZERO  # before the policy's cap on the execution rate

    @property
    def capped(self) -> bool:
        return self.total < self.uncapped_total

    @property
    def initial_budget(self) -> Decimal:
        return sum((row.initial for row in self.funds), ZERO)

    @property
    def funds_rowspan(self) -> int:
        """The 项目资金 label covers its header row, the 年度资金总额 row and one row per source."""
        return 2 + len(self.funds)

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        """Lines in order, 一级 merged over consecutive equal values, 二级 within its 一级."""
        level1 = merge_runs([line.level1 for line in self.indicators])
        level2 = merge_runs([(line.level1, line.level2) for line in self.indicators])
        return [IndicatorRow(line, a, b) for line, a, b in zip(self.indicators, level1, level2, strict=True)]

    @property
    def execution_rate_text(self) -> str:
        return "—" if self.execution_rate is None else f"{self.execution_rate:.2f}%"


def _target_with_adjustment(indicator) -> str:
    """年度指标值, and “（2024-09-10调整）” when an approved 目标调整 changed it (evaluation.targets)."""
    adjusted = indicator.adjustments.filter(status=DecisionStatus.APPROVED).order_by("-decided_at").first()
    if adjusted is None:
        return indicator.target_display()
    return _("{target}（目标已于{day}调整）").format(
        target=indicator.target_display(), day=timezone.localdate(adjusted.decided_at).isoformat()
    )


def _deducted(row) -> str:
    if not row.deduction:
        return ""
    return _("（按评分规则扣{points}分）").format(points=format(row.deduction.normalize(), "f"))


def self_evaluation_table(evaluation: Evaluation, *, goal: str = "", outcome: str = "") -> SelfEvaluationTable:
    head = federation()
    return SelfEvaluationTable(
        year=evaluation.fiscal_year.year,
        project=evaluation.program.name,
        department=head.name if head else "",
        implementer=evaluation.program.managing_department,
        funds=funds_by_source(evaluation.program, evaluation.fiscal_year, evaluation.context),
        annual_budget=evaluation.budget,
        executed=evaluation.executed,
        execution_rate=evaluation.execution_rate,
        execution_score=evaluation.execution_score,
        goal=goal,
        outcome=outcome,
        indicators=[
            IndicatorLine(
                level1=row.indicator.get_level1_display(),
                level2=row.indicator.get_level2_display(),
                name=row.indicator.name,
                target=_target_with_adjustment(row.indicator),
                actual=actual_display(row),
                weight=row.indicator.weight,
                score=row.final_score,
                reason=_deducted(row) + row.indicator.deviation_reason,
            )
            for row in evaluation.rows
        ],
        total=evaluation.total,
        grade=str(evaluation.grade),
        scoring_rules=evaluation.scoring_rules,
        uncapped_total=evaluation.uncapped_total,
    )


@dataclass
class DepartmentTable:
    """部门整体支出绩效目标自评表: the department's budget lines, then each special fund's evaluation."""

    year: int
    department: str
    budget_rows: list[BudgetRow]
    programs: list[SelfEvaluationTable]

    @property
    def total(self) -> BudgetRow:
        return BudgetRow(
            _("合计"),
            sum((r.initial for r in self.budget_rows), ZERO),
            sum((r.annual for r in self.budget_rows), ZERO),
            sum((r.executed for r in self.budget_rows), ZERO),
        )
