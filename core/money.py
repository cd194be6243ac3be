"""All money arithmetic: Decimal yuan with two places, one rounding rule, and 万元 for reports."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
WAN = Decimal("10000")
ZERO = Decimal("0.00")

# Reports state this next to every 万元 figure; it must match `to_wan`.
WAN_ROUNDING_NOTE = "金额单位：万元，按四舍五入保留两位小数"


def quantize(amount: Decimal | int | str | None, places: Decimal = CENT) -> Decimal:
    """Round half-up (the rounding Chinese finance rules use), to cents unless told otherwise."""
    if amount is None:
        return ZERO
    if isinstance(amount, float):
        raise TypeError("money is never float; pass Decimal, int or str")
    return Decimal(amount).quantize(places, rounding=ROUND_HALF_UP)


def to_wan(amount_yuan: Decimal | int | None, places: Decimal = CENT) -> Decimal:
    """Yuan → 万元, rounded half-up (two places by default)."""
    return quantize(quantize(amount_yuan) / WAN, places)


def ratio(numerator: Decimal | int, denominator: Decimal | int, places: Decimal = Decimal("0.0001")) -> Decimal | None:
    """numerator ÷ denominator rounded half-up; None when the denominator is zero (undefined, not 0 %)."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(places, rounding=ROUND_HALF_UP)


def format_yuan(amount: Decimal | None) -> str:
    """Thousands separators, always two places: 8006200 → '8,006,200.00'."""
    return f"{quantize(amount):,.2f}"
