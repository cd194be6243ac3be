"""绩效运行监控 (双监控): a program-year's money and targets as of a monitoring day, projected to the year's end.

The figures are the self-evaluation's own: `evaluation.selectors.evaluate(as_of=day)`, the same indicator functions
over the data as it stood that day. On top of them this module adds what only monitoring needs — time elapsed,
execution per source and per organisation against it, a year-end projection per indicator (the method printed
beside it), deviation flags, and the warnings the active `WarningRule`s raise.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.money import ZERO, quantize, ratio
from evaluation import scoring
from evaluation.choices import Comparator, ComputedKey, DeviationFlag, ProjectionMethod, Unit, ValueSource, WarningKind
from evaluation.models import WarningRule
from evaluation.selectors import Evaluation, ScoredIndicator, evaluate
from evaluation.templatetags.indicators import value_display
from funds.choices import FundingSource, PlanStatus
from funds.models import AllocationLine, AppropriationLine, FiscalYear, Program, User

HUNDRED = Decimal(100)
WHOLE = Decimal(1)

PROJECTION = {
    ComputedKey.BUDGET_EXECUTION_RATE: ProjectionMethod.LINEAR,
    ComputedKey.HOUSEHOLDS_ASSISTED: ProjectionMethod.LINEAR_ROSTER,
    ComputedKey.PERSONS_ASSISTED: ProjectionMethod.LINEAR,
    ComputedKey.PERSONS_PAID: ProjectionMethod.LINEAR_ROSTER,
    ComputedKey.COVERAGE_RATE: ProjectionMethod.ROSTER,
    ComputedKey.TARGETING_ACCURACY: ProjectionMethod.RATE,
    ComputedKey.STANDARD_ACCURACY: ProjectionMethod.RATE,
    ComputedKey.PAYMENT_METHOD_COMPLIANCE: ProjectionMethod.RATE,
    ComputedKey.ON_TIME_RATE: ProjectionMethod.RATE,
    ComputedKey.AVERAGE_PER_HOUSEHOLD: ProjectionMethod.RATE,
    ComputedKey.AVERAGE_PER_PERSON: ProjectionMethod.RATE,
    ComputedKey.FUNDS_RECEIVED_RATE: ProjectionMethod.AS_IS,
    ComputedKey.SATISFACTION_RATE: ProjectionMethod.NONE,
}


def time_elapsed(fiscal_year: FiscalYear, day: datetime.date) -> Decimal:
    """时间进度 = 年初至监控日（含）的天数 ÷ 全年天数 × 100%."""
    day = min(max(day, fiscal_year.starts_on), fiscal_year.ends_on)
    elapsed = (day - fiscal_year.starts_on).days + 1
    total = (fiscal_year.ends_on - fiscal_year.starts_on).days + 1
    return quantize(Decimal(elapsed) * HUNDRED / Decimal(total))


def linear_projection(so_far: Decimal, elapsed: Decimal) -> Decimal | None:
    """全年预计 = 截至监控日完成值 ÷ 时间进度."""
    if elapsed <= 0:
        return None
    return quantize(so_far * HUNDRED / elapsed)


@dataclass(frozen=True)
class ExecutionLine:
    """执行进度 of one funding source or organisation: executed against its budget (or allocation)."""

    label: str
    budget: Decimal | None  # None: nothing budgeted or allocated to it
    executed: Decimal
    elapsed: Decimal

    @property
    def rate(self) -> Decimal | None:
        """执行进度 = 截至监控日执行数 ÷ 全年预算数（单位为分配数） × 100%."""
        value = ratio(self.executed, self.budget or ZERO)
        return None if value is None else quantize(value * HUNDRED)

    @property
    def lag(self) -> Decimal | None:
        """落后时间进度（百分点） = 时间进度 − 执行进度; negative when ahead."""
        return None if self.rate is None else quantize(self.elapsed - self.rate)


@dataclass(frozen=True)
class IndicatorProjection:
    scored: ScoredIndicator  # the indicator scored on the data as of the day
    so_far: Decimal | None
    projected: Decimal | None
    method: str  # ProjectionMethod
    flag: str | None  # DeviationFlag

    @property
    def method_label(self) -> str:
        return ProjectionMethod(self.method).label


@dataclass(frozen=True)
class MonitoringWarning:
    """One warning; `key` stays the same while the cause does, so its reason and 纠偏措施 stay attached."""

    key: str
    rule: WarningRule
    message: str


@dataclass
class Monitoring:
    program: Program
    fiscal_year: FiscalYear
    as_of: datetime.date
    elapsed: Decimal
    evaluation: Evaluation
    execution: ExecutionLine  # the program as a whole
    by_source: list[ExecutionLine] = field(default_factory=list)
    by_organization: list[ExecutionLine] = field(default_factory=list)
    projections: list[IndicatorProjection] = field(default_factory=list)
    warnings: list[MonitoringWarning] = field(default_factory=list)

    @property
    def lagging_organizations(self) -> list[ExecutionLine]:
        return [line for line in self.by_organization if line.lag is not None and line.lag > 0]


def _project(row: ScoredIndicator, monitoring: Monitoring) -> IndicatorProjection:
    indicator = row.indicator
    if indicator.comparator == Comparator.QUALITATIVE or indicator.value_source == ValueSource.MANUAL:
        return IndicatorProjection(row, row.actual, None, ProjectionMethod.NONE, None)
    method = PROJECTION.get(indicator.computed_key, ProjectionMethod.AS_IS)
    so_far = row.actual
    ctx = monitoring.evaluation.context
    projected: Decimal | None = None
    if so_far is None or method == ProjectionMethod.NONE:
        projected = None
    elif method == ProjectionMethod.LINEAR:
        projected = linear_projection(so_far, monitoring.elapsed)
    elif method in (ProjectionMethod.LINEAR_ROSTER, ProjectionMethod.ROSTER):
        roster = ctx.eligible_count
        paid = Decimal(ctx.beneficiaries_paid)
        expected = linear_projection(paid, monitoring.elapsed)
        if roster is not None and expected is not None:
            expected = min(expected, Decimal(max(roster, ctx.beneficiaries_paid)))
        if method == ProjectionMethod.LINEAR_ROSTER:
            projected = expected
        elif roster and expected is not None:
            projected = quantize(min(expected, Decimal(roster)) * HUNDRED / Decimal(roster))
    else:  # RATE, AS_IS
        projected = so_far
    if projected is not None and indicator.unit in (Unit.HOUSEHOLDS, Unit.PERSONS):
        projected = quantize(projected, WHOLE)  # households and persons are counted whole
    flag = None
    if projected is not None and indicator.target_value is not None:
        target = indicator.target_value
        if not scoring.target_met(comparator=indicator.comparator, target=target, actual=projected):
            flag = DeviationFlag.MISS
        elif scoring.deviation_required(comparator=indicator.comparator, target=target, actual=projected):
            flag = DeviationFlag.OVERSHOOT
    return IndicatorProjection(row, so_far, projected, method, flag)


def _by_source(monitoring: Monitoring) -> list[ExecutionLine]:
    ctx = monitoring.evaluation.context
    budgets = dict(
        AppropriationLine.objects.filter(
            appropriation__program=monitoring.program, appropriation__fiscal_year=monitoring.fiscal_year
        )
        .values_list("source")
        .annotate(total=Sum("annual_budget"))
    )
    executed: dict[str, Decimal] = {}
    for row in ctx.paid_by_organization_and_source:
        executed[row["funding_source"]] = executed.get(row["funding_source"], ZERO) + row["total"]
    return [
        ExecutionLine(source.label, budgets.get(source.value), executed.get(source.value, ZERO), monitoring.elapsed)
        for source in FundingSource
        if source.value in budgets or source.value in executed
    ]


def _by_organization(monitoring: Monitoring) -> list[ExecutionLine]:
    """Each organisation's payments against its approved allocation; the federation's direct payments have none."""
    ctx = monitoring.evaluation.context
    allocated = {
        row["organization"]: row
        for row in AllocationLine.objects.filter(
            plan__program=monitoring.program,
            plan__fiscal_year=monitoring.fiscal_year,
            plan__status=PlanStatus.APPROVED,
        )
        .values("organization", "organization__short_name", "organization__sort_order", "organization__code")
        .annotate(total=Sum("amount"))
    }
    executed: dict[int, Decimal] = {}
    order: dict[int, tuple[int, str, str]] = {}  # sort order, code, name
    for row in ctx.paid_by_organization_and_source:
        key = row["paying_organization"]
        executed[key] = executed.get(key, ZERO) + row["total"]
        order[key] = (
            row["paying_organization__sort_order"],
            row["paying_organization__code"],
            row["paying_organization__short_name"],
        )
    for key, row in allocated.items():
        order[key] = (row["organization__sort_order"], row["organization__code"], row["organization__short_name"])
    return [
        ExecutionLine(
            order[key][2],
            allocated[key]["total"] if key in allocated else None,
            executed.get(key, ZERO),
            monitoring.elapsed,
        )
        for key in sorted(order, key=order.__getitem__)
    ]


def _plain(value: Decimal) -> str:
    """20.00 → "20", 62.50 → "62.5" (a threshold as a person writes it)."""
    return format(value.normalize(), "f")


def _warnings(monitoring: Monitoring, rules: list[WarningRule]) -> list[MonitoringWarning]:
    found: list[MonitoringWarning] = []
    execution = monitoring.execution
    for rule in rules:
        if not rule.applies_on(monitoring.as_of):
            continue
        if rule.kind == WarningKind.EXECUTION_BEHIND and execution.lag is not None and execution.lag > rule.lag_points:
            found.append(
                MonitoringWarning(
                    f"{rule.code}:program",
                    rule,
                    _("预算执行进度 {rate}%，落后时间进度（{elapsed}%）{lag} 个百分点。").format(
                        rate=execution.rate, elapsed=monitoring.elapsed, lag=execution.lag
                    ),
                )
            )
        elif rule.kind == WarningKind.LARGE_PROJECT_LOW:
            budget = execution.budget or ZERO
            if budget >= rule.min_budget and execution.rate is not None and execution.rate < rule.min_rate:
                found.append(
                    MonitoringWarning(
                        f"{rule.code}:program",
                        rule,
                        _("全年预算 {budget} 万元，执行率 {rate}%，低于 {limit}%。").format(
                            budget=quantize(budget / 10000), rate=execution.rate, limit=_plain(rule.min_rate)
                        ),
                    )
                )
        elif rule.kind == WarningKind.ORGANIZATION_BEHIND:
            # One warning for all the organisations behind: one reason and one 纠偏措施 (e.g. 督促各地加快发放) cover
            # them, and the list is in the message and in the table of organisations.
            behind = [
                line for line in monitoring.by_organization if line.lag is not None and line.lag > rule.lag_points
            ]
            if behind:
                found.append(
                    MonitoringWarning(
                        f"{rule.code}:organizations",
                        rule,
                        _("{count} 个单位执行进度落后时间进度 {points} 个百分点以上：{organizations}。").format(
                            count=len(behind),
                            points=_plain(rule.lag_points),
                            organizations="、".join(f"{line.label}（{line.rate}%）" for line in behind),
                        ),
                    )
                )
        elif rule.kind in (WarningKind.INDICATOR_MISS, WarningKind.INDICATOR_OVERSHOOT):
            wanted = DeviationFlag.MISS if rule.kind == WarningKind.INDICATOR_MISS else DeviationFlag.OVERSHOOT
            for projection in monitoring.projections:
                if projection.flag == wanted:
                    indicator = projection.scored.indicator
                    found.append(
                        MonitoringWarning(
                            f"{rule.code}:{indicator.name}",
                            rule,
                            _("“{name}”年度指标值 {target}，预计年末 {projected}（{flag}）。").format(
                                name=indicator.name,
                                target=indicator.target_display(),
                                projected=value_display(indicator, projection.projected),
                                flag=DeviationFlag(wanted).label,
                            ),
                        )
                    )
    return found


def monitor(*, user: User, program: Program, fiscal_year: FiscalYear, as_of: datetime.date) -> Monitoring:
    """The monitoring of a program-year as of `as_of`: execution, projections, flags and warnings."""
    evaluation = evaluate(user=user, program=program, fiscal_year=fiscal_year, as_of=as_of)
    elapsed = time_elapsed(fiscal_year, as_of)
    monitoring = Monitoring(
        program=program,
        fiscal_year=fiscal_year,
        as_of=as_of,
        elapsed=elapsed,
        evaluation=evaluation,
        execution=ExecutionLine(_("合计"), evaluation.budget or None, evaluation.executed, elapsed),
    )
    monitoring.by_source = _by_source(monitoring)
    monitoring.by_organization = _by_organization(monitoring)
    monitoring.projections = [_project(row, monitoring) for row in evaluation.rows]
    monitoring.warnings = _warnings(monitoring, list(WarningRule.objects.filter(is_active=True)))
    return monitoring
