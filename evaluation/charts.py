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
# One colour per fund, the same in every chart: the bars of 帮扶资金 are always blue, those of 劳模补助 ochre.
PROGRAM_COLOURS = {"hardship": "#4f6d8f", "model_worker": "#b7792f"}
OTHER_COLOURS = ["#6b8e5a", "#8a5a83", "#7a7a7a"]
# Drawn 440 units wide: the PDF's text block is 156 mm ≈ 442 pt, so a unit prints as a point and the labels'
# 10.5 units are 10.5 pt (GB/T 9704 tables and figures: not under 10 pt).
WIDTH = 440
FONT_SIZE = 10.5


def program_colour(program) -> str:
    return PROGRAM_COLOURS.get(program.code) or OTHER_COLOURS[(program.pk or 0) % len(OTHER_COLOURS)]


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


def axis_ticks(largest: Decimal) -> list[Decimal]:
    """0 and the smallest round step (1, 2 or 5 × 10ⁿ) that reaches `largest` in at most five steps."""
    if largest <= 0:
        return [Decimal(0), Decimal(1)]
    power = (largest / 5).adjusted()
    step = next(
        Decimal(factor).scaleb(exponent)
        for exponent in (power, power + 1)
        for factor in (1, 2, 5)
        if Decimal(factor).scaleb(exponent) * 5 >= largest
    )
    ticks = [Decimal(0)]
    while ticks[-1] < largest:
        ticks.append(ticks[-1] + step)
    return ticks


def _tick_label(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def bar_chart(
    title: str, groups: list[tuple[str, str, list[Bar]]], *, axis_label: str = "", width: int = WIDTH
) -> Chart:
    """Horizontal bars, one block per group (a fund: its name, its colour, one bar per figure), a value at the end
    of each bar, and an axis with round ticks and its unit in Chinese underneath."""
    bar, gap, label_width, value_width, top = 14, 5, 96, 52, 4
    axis_label = axis_label or _("金额（万元）")
    rows = sum(len(bars) for _, _, bars in groups) + len(groups)
    height = top + rows * (bar + gap) + 40
    largest = max((b.value for _, _, bars in groups for b in bars), default=ZERO)
    ticks = axis_ticks(largest)
    scale_max = ticks[-1]
    plot = width - label_width - value_width
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="{FONT_SIZE}">'
    ]
    y = top
    for group, colour, bars in groups:
        parts.append(f'<text x="0" y="{y + bar - 3}" font-weight="700">{escape(group)}</text>')
        y += bar + gap
        for item in bars:
            length = float(item.value / scale_max) * plot if item.value > 0 else 0
            parts.append(f'<text x="10" y="{y + bar - 3}">{escape(item.label)}</text>')
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}">'
                f"<title>{escape(item.label)} {_number(item.value)}</title></rect>"
            )
            parts.append(f'<text x="{label_width + length + 3:.1f}" y="{y + bar - 3}">{_number(item.value)}</text>')
            y += bar + gap
    axis_y = y + 2
    parts.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{axis_y}" stroke="#333" stroke-width="0.6"/>'
        f'<line x1="{label_width}" y1="{axis_y}" x2="{label_width + plot}" y2="{axis_y}" stroke="#333" '
        'stroke-width="0.6"/>'
    )
    for tick in ticks:
        x = label_width + float(tick / scale_max) * plot
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{axis_y + 3}" stroke="#333" stroke-width="0.6"/>'
            f'<text x="{x:.1f}" y="{axis_y + 15}" text-anchor="middle">{_tick_label(tick)}</text>'
        )
    parts.append(
        f'<text x="{label_width + plot / 2:.1f}" y="{axis_y + 31}" text-anchor="middle">{escape(axis_label)}</text>'
    )
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
        [(ctx.program.name, program_colour(ctx.program), fund_flow_bars(ctx)) for ctx in contexts],
    )


def disbursed_by_organization_chart(ctx: IndicatorContext) -> Chart:
    program = ctx.program
    totals: dict[str, Decimal] = {}
    for row in ctx.paid_by_organization_and_source:
        name = row["paying_organization__short_name"]
        totals[name] = totals.get(name, ZERO) + row["total"]
    bars = [Bar(name, to_wan(total)) for name, total in totals.items()]
    return bar_chart(
        _("{program}：各单位发放金额（万元）").format(program=program.short_name),
        [(program.name, program_colour(program), bars)],
    )
