from decimal import Decimal as D

import pytest

from evaluation.choices import Comparator
from evaluation.scoring import (
    Grade,
    QualitativeBand,
    budget_execution_score,
    deviation_required,
    grade,
    qualitative_score,
    quantitative_score,
)


@pytest.mark.parametrize(
    ("comparator", "target", "actual", "weight", "expected"),
    [
        (Comparator.GTE, D("95"), D("95"), D("10"), D("10.00")),  # exactly at target
        (Comparator.GTE, D("95"), D("100"), D("10"), D("10.00")),  # over
        (Comparator.GTE, D("447"), D("400"), D("10"), D("8.95")),  # short: 10 × 400 ÷ 447 = 8.948…
        (Comparator.GTE, D("100"), D("0"), D("10"), D("0.00")),
        (Comparator.LTE, D("1000"), D("1000"), D("5"), D("5.00")),  # exactly at target
        (Comparator.LTE, D("1000"), D("1250"), D("5"), D("3.75")),  # 5 × (1 − 0.25)
        (Comparator.LTE, D("1000"), D("2000"), D("5"), D("0.00")),  # twice the target
        (Comparator.LTE, D("1000"), D("2001"), D("5"), D("0")),  # beyond twice
        (Comparator.EQ, D("100"), D("100"), D("10"), D("10.00")),
        (Comparator.EQ, D("100"), D("99.99"), D("10"), D("0")),  # "=" scores only when met
    ],
)
def test_quantitative_scoring(comparator, target, actual, weight, expected):
    assert quantitative_score(comparator=comparator, target=target, actual=actual, weight=weight) == expected


@pytest.mark.parametrize(
    ("band", "percent", "expected"),
    [
        (QualitativeBand.ACHIEVED, D("100"), D("10.00")),
        (QualitativeBand.ACHIEVED, D("80"), D("8.00")),
        (QualitativeBand.PARTLY, D("70"), D("7.00")),
        (QualitativeBand.MISSED, D("30"), D("3.00")),
    ],
)
def test_qualitative_bands(band, percent, expected):
    assert qualitative_score(weight=D("10"), band=band, percent=percent) == expected


def test_a_qualitative_score_outside_its_band_is_refused():
    with pytest.raises(ValueError):
        qualitative_score(weight=D("10"), band=QualitativeBand.PARTLY, percent=D("85"))


def test_budget_execution_score_is_the_rate_times_ten_and_capped():
    assert budget_execution_score(executed=D("8006200"), budget=D("8006200")) == D("10.00")
    assert budget_execution_score(executed=D("1100000"), budget=D("1230000")) == D("8.94")
    assert budget_execution_score(executed=D("2"), budget=D("1")) == D("10.00")
    assert budget_execution_score(executed=D("1"), budget=D("0")) == D("0")


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (D("90"), Grade.EXCELLENT),
        (D("89.99"), Grade.GOOD),
        (D("80"), Grade.GOOD),
        (D("79.99"), Grade.FAIR),
        (D("60"), Grade.FAIR),
        (D("59.99"), Grade.POOR),
        (D("100"), Grade.EXCELLENT),
    ],
)
def test_grade_boundaries(total, expected):
    assert grade(total) == expected


@pytest.mark.parametrize(
    ("comparator", "target", "actual", "required"),
    [
        (Comparator.GTE, D("447"), D("447"), False),
        (Comparator.GTE, D("447"), D("446"), True),  # missed
        (Comparator.GTE, D("447"), D("582"), True),  # ≥ 30 % over (581.1): target set too low
        (Comparator.GTE, D("447"), D("581"), False),
        (Comparator.LTE, D("1000"), D("700"), True),  # 30 % under a ceiling
        (Comparator.EQ, D("100"), D("100"), False),
    ],
)
def test_when_a_deviation_reason_is_required(comparator, target, actual, required):
    assert deviation_required(comparator=comparator, target=target, actual=actual) is required
