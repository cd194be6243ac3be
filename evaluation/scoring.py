"""Scoring per 财预〔2020〕10号 as the provinces' self-evaluation forms apply it (DESIGN.md, "Indicators").

All figures are Decimal; scores are rounded half-up to two places.
"""

from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from core.money import quantize
from evaluation.choices import Comparator

ZERO = Decimal("0")
OVERSHOOT = Decimal("1.3")  # 30 % past the target or more: the target was set too low


class QualitativeBand(StrEnum):
    ACHIEVED = "achieved"  # 达成年度指标 80–100 %
    PARTLY = "partly"  # 部分达成并具有一定效果 60–80 %
    MISSED = "missed"  # 未达成且效果较差 0–60 %


BAND_RANGES = {
    QualitativeBand.ACHIEVED: (Decimal(80), Decimal(100)),
    QualitativeBand.PARTLY: (Decimal(60), Decimal(80)),
    QualitativeBand.MISSED: (Decimal(0), Decimal(60)),
}
BAND_LABELS = {
    QualitativeBand.ACHIEVED: _("达成年度指标"),
    QualitativeBand.PARTLY: _("部分达成并具有一定效果"),
    QualitativeBand.MISSED: _("未达成且效果较差"),
}


def quantitative_score(*, comparator: str, target: Decimal, actual: Decimal, weight: Decimal) -> Decimal:
    """≥: full when actual ≥ target, else weight × actual ÷ target.
    ≤: full when actual ≤ target, else weight × (1 − (actual − target) ÷ target) up to twice the target, 0 beyond.
    =: full only when met exactly."""
    if comparator == Comparator.GTE:
        if actual >= target:
            return quantize(weight)
        return quantize(weight * max(actual, ZERO) / target) if target > 0 else ZERO
    if comparator == Comparator.LTE:
        if actual <= target:
            return quantize(weight)
        if target <= 0 or actual > 2 * target:
            return ZERO
        return quantize(weight * (1 - (actual - target) / target))
    if comparator == Comparator.EQ:
        return quantize(weight) if actual == target else ZERO
    raise ValueError(f"not a quantitative comparator: {comparator!r}")


def qualitative_score(*, weight: Decimal, band: QualitativeBand, percent: Decimal) -> Decimal:
    """A qualitative indicator scores `percent` of its weight, and `percent` must lie in its band's range."""
    low, high = BAND_RANGES[QualitativeBand(band)]
    if not low <= percent <= high:
        raise ValueError(f"{percent} % is outside the band {band} ({low}–{high} %)")
    return quantize(weight * percent / 100)


def budget_execution_score(*, executed: Decimal, budget: Decimal, weight: Decimal = Decimal(10)) -> Decimal:
    """预算执行率得分 = 全年执行数 ÷ 全年预算数 × 分值 (at most the weight)."""
    if budget <= 0:
        return ZERO
    return quantize(min(executed / budget, Decimal(1)) * weight)


def target_met(*, comparator: str, target: Decimal, actual: Decimal) -> bool:
    return {
        Comparator.GTE: actual >= target,
        Comparator.LTE: actual <= target,
        Comparator.EQ: actual == target,
    }[comparator]


def deviation_required(*, comparator: str, target: Decimal, actual: Decimal) -> bool:
    """A reason is owed when the target is missed, or overshot by 30 % or more (a target set too low)."""
    if not target_met(comparator=comparator, target=target, actual=actual):
        return True
    if comparator == Comparator.GTE and target > 0:
        return actual >= target * OVERSHOOT
    if comparator == Comparator.LTE and target > 0:
        return actual <= target * (2 - OVERSHOOT)
    return False


class Grade(StrEnum):
    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


def grade(total: Decimal) -> Grade:
    """优 ≥ 90, 良 80–89.99, 中 60–79.99, 差 < 60."""
    if total >= 90:
        return Grade.EXCELLENT
    if total >= 80:
        return Grade.GOOD
    if total >= 60:
        return Grade.FAIR
    return Grade.POOR


def execution_cap(*, execution_rate: Decimal | None, bands: list[tuple[Decimal, Decimal, Decimal]]) -> Decimal | None:
    """The highest total a policy allows for the 预算执行率: a rate in [low, high) % caps it at that band's points
    (the lowest cap where bands overlap); None when no band applies or the rate is undefined."""
    if execution_rate is None:
        return None
    caps = [points for low, high, points in bands if low <= execution_rate < high]
    return min(caps) if caps else None


def overshoot_deduction(
    *, comparator: str, target: Decimal | None, actual: Decimal | None, threshold: Decimal, points: Decimal
) -> Decimal:
    """Points lost by an indicator past its target by `threshold` % or more (a target set too low):
    ≥: actual ≥ target × (1 + threshold ÷ 100); ≤: actual ≤ target × (1 − threshold ÷ 100); = and 定性 never."""
    if actual is None or target is None or target <= 0:
        return ZERO
    factor = threshold / 100
    if comparator == Comparator.GTE and actual >= target * (1 + factor):
        return quantize(points)
    if comparator == Comparator.LTE and actual <= target * (1 - factor):
        return quantize(points)
    return ZERO


SCORING_STANDARDS = {
    Comparator.GTE: _("达到年度指标值得满分；未达到的按实际完成值占指标值的比例计分"),
    Comparator.LTE: _("不超过年度指标值得满分；超过的按超出比例扣分，超过一倍的不得分"),
    Comparator.EQ: _("达到年度指标值得满分，否则不得分"),
    Comparator.QUALITATIVE: _("达成年度指标得分值的80%–100%，部分达成并具有一定效果得60%–80%，未达成且效果较差得0–60%"),
}


def scoring_standard(comparator: str) -> str:
    """评（扣）分标准 in words: the rule `quantitative_score` / `qualitative_score` applies for this comparator."""
    return str(SCORING_STANDARDS[comparator])
