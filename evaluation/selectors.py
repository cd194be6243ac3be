"""The scored self-evaluation of a program-year: what the 自评表, the report and the dashboard all show."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import ZERO, quantize
from evaluation import scoring
from evaluation.choices import Comparator, ValueSource
from evaluation.indicators import IndicatorContext, IndicatorValue, compute_all
from evaluation.models import Indicator
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
    values: dict[str, IndicatorValue] = field(default_factory=dict)  # every formula's result, for reuse
    context: IndicatorContext | None = None  # its cached totals, shared with the report and the consistency checks

    @property
    def total(self) -> Decimal:
        return quantize(self.execution_score + sum((row.score or ZERO for row in self.rows), ZERO))

    @property
    def grade(self) -> scoring.Grade:
        return scoring.grade(self.total)

    @property
    def unscored(self) -> list[ScoredIndicator]:
        return [row for row in self.rows if row.score is None]

    @property
    def reasons_missing(self) -> list[ScoredIndicator]:
        return [row for row in self.rows if row.reason_missing]


def _score(indicator: Indicator, values: dict[str, IndicatorValue]) -> ScoredIndicator:
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
    values = compute_all(program, fiscal_year, context=context)
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
    return evaluation
