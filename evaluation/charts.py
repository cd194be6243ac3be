"""Charts as SVG, drawn from the same figures as the report: the dashboard shows them inline, the PDF embeds them.

Hand-drawn rather than a charting library: two bar charts need ~80 lines of SVG, render identically in the browser
and in WeasyPrint (which draws inline SVG itself), and pull in no plotting stack. Labels use the PDF's CJK faces.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.db.models import Sum
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.money import ZERO, to_wan
from evaluation.indicators import IndicatorContext
from funds.choices import PlanStatus
from funds.models import AllocationLine

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
COLOURS = ["#8c9db5", "#4f6d8f", "#c98a3d", "#a33b2b"]


@dataclass(frozen=True)
class Chart:
    title: str
    svg: SafeString


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal  # 万元


def _number(value: Decimal) -> str:
    return f"{value:,.2f}"


def bar_chart(title: str, groups: list[tuple[str, list[Bar]]], *, width: int = 620) -> Chart:
    """Horizontal bars, one block per group (e.g. a program), one bar per series (budget, received …)."""
    bar, gap, label_width, value_width, top = 16, 4, 150, 90, 8
    rows = sum(len(bars) for _, bars in groups) + len(groups)
    height = top + rows * (bar + gap) + 8
    largest = max((b.value for _, bars in groups for b in bars), default=ZERO) or Decimal(1)
    plot = width - label_width - value_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="11">'
    ]
    y = top
    for group, bars in groups:
        parts.append(f'<text x="0" y="{y + bar - 3}" font-weight="700">{escape(group)}</text>')
        y += bar + gap
        for index, item in enumerate(bars):
            length = float(item.value / largest) * plot if item.value > 0 else 0
            colour = COLOURS[index % len(COLOURS)]
            parts.append(f'<text x="12" y="{y + bar - 4}">{escape(item.label)}</text>')
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(item.label)} {_number(item.value)}</title></rect>"
            )
            parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 4}">{_number(item.value)}</text>')
            y += bar + gap
    parts.append("</svg>")
    # Every interpolated text is escaped above; the markup is ours.
    return Chart(title, mark_safe("".join(parts)))


def fund_flow_bars(ctx: IndicatorContext) -> list[Bar]:
    """全年预算 → 实际到位 → 已分配（已批准方案） → 已发放, in 万元."""
    program, fiscal_year = ctx.program, ctx.fiscal_year
    allocated = AllocationLine.objects.filter(
        plan__program=program, plan__fiscal_year=fiscal_year, plan__status=PlanStatus.APPROVED
    ).aggregate(t=Sum("amount"))["t"]
    return [
        Bar(_("全年预算"), to_wan(ctx.annual_budget)),
        Bar(_("实际到位"), to_wan(ctx.received)),
        Bar(_("已分配"), to_wan(allocated or ZERO)),
        Bar(_("已发放"), to_wan(ctx.disbursed)),
    ]


def fund_flow_chart(contexts: list[IndicatorContext]) -> Chart:
    """The chain per program; each context carries its program-year and its already-computed totals."""
    return bar_chart(
        _("资金流向：预算、到位、分配与发放（万元）"),
        [(ctx.program.name, fund_flow_bars(ctx)) for ctx in contexts],
    )


def disbursed_by_organization_chart(ctx: IndicatorContext) -> Chart:
    program = ctx.program
    totals: dict[str, Decimal] = {}
    for row in ctx.paid_by_organization_and_source:
        name = row["paying_organization__short_name"]
        totals[name] = totals.get(name, ZERO) + row["total"]
    bars = [Bar(name, to_wan(total)) for name, total in totals.items()]
    return bar_chart(_("{program}：各单位发放金额（万元）").format(program=program.short_name), [(program.name, bars)])
