from decimal import Decimal

import pytest

from core.money import format_yuan, quantize, ratio, to_wan


def test_quantize_rounds_half_up_not_to_even():
    assert quantize(Decimal("0.125")) == Decimal("0.13")
    assert quantize(Decimal("0.135")) == Decimal("0.14")


def test_float_is_refused():
    with pytest.raises(TypeError):
        quantize(0.1)


def test_to_wan_of_seed_figures():
    assert to_wan(Decimal("8006200.00")) == Decimal("800.62")
    assert to_wan(Decimal("236200")) == Decimal("23.62")
    assert to_wan(Decimal("12345")) == Decimal("1.23")
    assert to_wan(Decimal("12350")) == Decimal("1.24")  # 1.235 万 rounds half-up


def test_ratio_is_undefined_for_a_zero_denominator():
    assert ratio(5, 0) is None
    assert ratio(Decimal("1230000"), Decimal("1230000")) == Decimal("1.0000")


def test_format_yuan():
    assert format_yuan(Decimal("8006200")) == "8,006,200.00"
