"""The scored self-evaluation of a program-year: what the 自评表, the report and the dashboard all show."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import ZERO, quantize
from evaluation import scoring
from evaluation.choices import Comparator, ScoringRuleKind, ValueSource
from evaluation.indicators import IndicatorContext, IndicatorValue, LazyValues
from evaluation.models import Indicator, ScoringPolicy
from funds.models import FiscalYear, Program, User

QUALITATIVE_ACHIEVED = Decimal(80)


@dataclass
class ScoredIndicator:
    indicator: Indicator
    computed: IndicatorValue | None  # the formula's result, with numerator and denominator, for computed ones
    actual: Decimal | None  # compared with the target (percent of weight for qualitative ones)
    score: Decimal | None  # None: not scorable yet (an input is missing)
    met: bool | None
    needs_reason: bool
    deduction: Decimal = ZERO  # points the program-year's scoring policy takes off (超目标扣分)

    @property
    def final_score(self) -> Decimal | None:
        """The score after the policy's deduction, never below zero."""
        return None if self.score is None else max(self.score - self.deduction, ZERO)

    @property
    def reason_missing(self) -> bool:
        return self.needs_reason and not self.indicator.deviation_reason.strip()


@dataclass
class Evaluation:
    program: Program
    fiscal_year: FiscalYear
    budget: Decimal
    executed: Decimal
    execution_rate: Decimal | None
    execution_score: Decimal
    rows: list[ScoredIndicator] = field(default_factory=list)
    values: Mapping[str, IndicatorValue] = field(default_factory=dict)  # every formula's result, computed when read
    context: IndicatorContext | None = None  # its cached totals, shared with the report and the consistency checks
    policy: ScoringPolicy | None = None  # None: 财预〔2020〕10号 as it stands
    cap: Decimal | None = None  # the highest total the policy allows for this execution rate

    @property
    def uncapped_total(self) -> Decimal:
        """预算执行率得分 + each indicator's score less its deduction."""
        return quantize(self.execution_score + sum((row.final_score or ZERO for row in self.rows), ZERO))

    @property
    def total(self) -> Decimal:
        """总分: the uncapped total, at most the policy's cap."""
        total = self.uncapped_total
        return quantize(min(total, self.cap)) if self.cap is not None else total

    @property
    def scoring_rules(self) -> str:
        """“评分规则：…” as the 自评表 prints it."""
        rules = [rule.describe() for rule in self.policy.rules.all()] if self.policy else []
        name = str(self.policy) if self.policy else _("财预〔2020〕10号")
        return _("评分规则：{name}{rules}").format(name=name, rules="；" + "；".join(rules) if rules else "")

    @property
    def grade(self) -> scoring.Grade:
        return scoring.grade(self.total)

    @property
    def unscored(self) -> list[ScoredIndicator]:
        return [row for row in self.rows if row.score is None]

    @property
    def reasons_missing(self) -> list[ScoredIndicator]:
        return [row for row in self.rows if row.reason_missing]


def _score(indicator: Indicator, values: Mapping[str, IndicatorValue]) -> ScoredIndicator:
    computed = values.get(indicator.computed_key) if indicator.value_source == ValueSource.COMPUTED else None
    if indicator.comparator == Comparator.QUALITATIVE:
        percent = indicator.manual_value
        if percent is None:
            return ScoredIndicator(indicator, None, None, None, None, False)
        band = (
            scoring.QualitativeBand.ACHIEVED
            if percent >= QUALITATIVE_ACHIEVED
            else scoring.QualitativeBand.PARTLY
            if percent >= 60
            else scoring.QualitativeBand.MISSED
        )
        score = scoring.qualitative_score(weight=indicator.weight, band=band, percent=percent)
        met = band == scoring.QualitativeBand.ACHIEVED
        return ScoredIndicator(indicator, None, percent, score, met, not met)
    actual = computed.value if computed is not None else indicator.manual_value
    if actual is None:
        return ScoredIndicator(indicator, computed, None, None, None, False)
    target = indicator.target_value
    score = scoring.quantitative_score(
        comparator=indicator.comparator, target=target, actual=actual, weight=indicator.weight
    )
    met = scoring.target_met(comparator=indicator.comparator, target=target, actual=actual)
    needs = scoring.deviation_required(comparator=indicator.comparator, target=target, actual=actual)
    return ScoredIndicator(indicator, computed, actual, score, met, needs)


def evaluate(
    *, user: User, program: Program, fiscal_year: FiscalYear, as_of: datetime.date | None = None
) -> Evaluation:
    """Compute every indicator of the program-year from the data and score it (财预〔2020〕10号).

    `as_of`: the data as it stood on that day (绩效运行监控); None for the whole year (the self-evaluation)."""
    context = IndicatorContext(program=program, fiscal_year=fiscal_year, as_of=as_of)
    values = LazyValues(context)
    execution = values["budget_execution_rate"]
    evaluation = Evaluation(
        program=program,
        fiscal_year=fiscal_year,
        budget=execution.denominator or ZERO,
        executed=execution.numerator or ZERO,
        execution_rate=execution.value,
        execution_score=scoring.budget_execution_score(
            executed=execution.numerator or ZERO, budget=execution.denominator or ZERO
        ),
    )
    evaluation.values = values
    evaluation.context = context
    indicators = (
        Indicator.objects.restrict(user).filter(program=program, fiscal_year=fiscal_year).order_by("sort_order")
    )
    evaluation.rows = [_score(indicator, values) for indicator in indicators]
    _apply_policy(evaluation, context.settings.scoring_policy if context.settings else None)
    return evaluation


def _apply_policy(evaluation: Evaluation, policy: ScoringPolicy | None) -> None:
    """The province's caps and deductions on top of 财预〔2020〕10号 (scoring.execution_cap, overshoot_deduction)."""
    evaluation.policy = policy
    if policy is None:
        return
    rules = list(policy.rules.all())
    bands = [(r.low, r.high, r.points) for r in rules if r.kind == ScoringRuleKind.EXECUTION_CAP]
    evaluation.cap = scoring.execution_cap(execution_rate=evaluation.execution_rate, bands=bands)
    for rule in (r for r in rules if r.kind == ScoringRuleKind.OVERSHOOT_DEDUCTION):
        for row in evaluation.rows:
            if row.indicator.comparator == Comparator.QUALITATIVE or row.score is None:
                continue
            row.deduction += scoring.overshoot_deduction(
                comparator=row.indicator.comparator,
                target=row.indicator.target_value,
                actual=row.actual,
                threshold=rule.low,
                points=rule.points,
            )
