from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from evaluation.choices import Comparator, Unit
from evaluation.indicators import EVIDENCE_KEYS

register = template.Library()


def _number(value: Decimal) -> str:
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def value_display(indicator, value: Decimal | None) -> str:
    """A quantitative figure with the indicator's unit: 447户, 96.25%, 762.08元/人; None as "—"."""
    if value is None:
        return "—"
    if indicator.unit == Unit.PERCENT:
        return f"{value:.2f}%"
    unit = "" if indicator.unit == Unit.NONE else indicator.get_unit_display()
    return f"{_number(value)}{unit}"


@register.filter
def actual_display(row) -> str:
    """The 实际完成值 as the 自评表 prints it: 447户, 100.00%, 762.08元/人; qualitative ones by description."""
    indicator = row.indicator
    if row.actual is None:
        return _("待填报") if indicator.value_source == "manual" else _("无法计算")
    if indicator.comparator == Comparator.QUALITATIVE:
        return indicator.manual_text or _("已评定")
    return value_display(indicator, row.actual)


@register.filter
def score_display(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


@register.filter
def figure(value) -> str:
    """A numerator or denominator: counts as 4,063, amounts as 1,230,000.00."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}"


@register.filter
def has_evidence_rows(key: str) -> bool:
    """Whether the indicator's figure has rows of its own to show on a 明细 page (evaluation.indicators)."""
    return key in EVIDENCE_KEYS
