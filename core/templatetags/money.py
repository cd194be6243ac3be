from decimal import Decimal

from django import template

from core.money import format_yuan, to_wan

register = template.Library()


@register.filter
def yuan(amount: Decimal | None) -> str:
    """8006200 → '8,006,200.00'; empty stays '—' (not zero: unknown is not nothing)."""
    return "—" if amount is None else format_yuan(amount)


@register.filter
def wan(amount: Decimal | None) -> str:
    """Yuan → 万元 with two places, half-up (money.WAN_ROUNDING_NOTE)."""
    return "—" if amount is None else f"{to_wan(amount):,.2f}"


@register.filter
def percent(rate: Decimal | None) -> str:
    """A ratio (0.9625) as '96.25%'; undefined (zero denominator) as '—'."""
    return "—" if rate is None else f"{rate * 100:.2f}%"


@register.filter
def count(number: int | None) -> str:
    """A count with thousands separators whatever the locale (1614 → '1,614'), as the report writes it."""
    return "—" if number is None else f"{int(number):,}"
