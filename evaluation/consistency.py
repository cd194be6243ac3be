"""Inconsistencies a report must not be finalised with: in the data, and between the narrative and the data.

Seed 000 shows why: a 2024 report quoting "133 万元" and "1,081 户 as of 2023-05-17" and "14 个地州市工会" when the
data says 123 万元, 447 户 and four prefectures. Every figure a paragraph claims is compared with the computed one.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import ZERO, format_yuan, to_wan
from evaluation.indicators import IndicatorContext, IndicatorValue, compute_all
from funds.choices import PLAN_FUNDED_SOURCES, FundingSource, OrganizationKind, PlanStatus
from funds.models import AllocationLine, FiscalYear, FundsReceipt, Program


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    # What the finding is about, in language-neutral terms (an organisation code and the amounts, a quoted claim):
    # with `code` it identifies the finding across requests, so an explanation given for it can be matched again —
    # and a finding whose figures changed is a new finding that needs its own explanation.
    subject: str = ""

    @property
    def key(self) -> str:
        return f"{self.code}:{self.subject}"


def data_findings(
    program: Program,
    fiscal_year: FiscalYear,
    values: dict[str, IndicatorValue] | None = None,
    context: IndicatorContext | None = None,
) -> list[Finding]:
    """`values`, `context`: the indicators already computed for this program-year (e.g. by `evaluate`), and their
    context, to avoid a second pass over the payments."""
    ctx = context or IndicatorContext(program=program, fiscal_year=fiscal_year)
    values = values if values is not None else compute_all(program, fiscal_year, context=ctx)
    findings = []
    received = ctx.received
    allocated_lines = AllocationLine.objects.filter(
        plan__program=program, plan__fiscal_year=fiscal_year, plan__status=PlanStatus.APPROVED
    )
    allocated = allocated_lines.aggregate(total=Sum("amount"))["total"] or ZERO
    if allocated > received:
        findings.append(
            Finding(
                "allocated_over_received",
                _("已分配 {a} 元超过实际到位 {r} 元。").format(a=format_yuan(allocated), r=format_yuan(received)),
                f"{allocated}:{received}",
            )
        )
    if ctx.disbursed > ctx.annual_budget:
        findings.append(
            Finding(
                "executed_over_budget",
                _("全年执行数 {e} 元超过全年预算数 {b} 元。").format(
                    e=format_yuan(ctx.disbursed), b=format_yuan(ctx.annual_budget)
                ),
                f"{ctx.disbursed}:{ctx.annual_budget}",
            )
        )
    by_org_allocated = dict(
        allocated_lines.values("organization").annotate(t=Sum("amount")).values_list("organization", "t")
    )
    paid = [
        row
        for row in ctx.paid_by_organization_and_source
        if row["funding_source"] in PLAN_FUNDED_SOURCES
        and row["paying_organization__kind"] != OrganizationKind.FEDERATION
    ]
    for row in paid:
        limit = by_org_allocated.get(row["paying_organization"], ZERO)
        if row["total"] > limit:
            findings.append(
                Finding(
                    "disbursed_over_allocated",
                    _("{org} 财政资金发放 {d} 元，超过其分配额度 {a} 元。").format(
                        org=row["paying_organization__short_name"], d=format_yuan(row["total"]), a=format_yuan(limit)
                    ),
                    f"{row['paying_organization__code']}:{row['total']}:{limit}",
                )
            )
    received_by_source = dict(
        FundsReceipt.objects.filter(appropriation__program=program, appropriation__fiscal_year=fiscal_year)
        .values("source")
        .annotate(t=Sum("amount"))
        .values_list("source", "t")
    )
    spent_by_source: dict[str, Decimal] = {}
    for row in ctx.paid_by_organization_and_source:
        spent_by_source[row["funding_source"]] = spent_by_source.get(row["funding_source"], ZERO) + row["total"]
    for source, spent in spent_by_source.items():
        got = received_by_source.get(source, ZERO)
        if source not in PLAN_FUNDED_SOURCES and spent > got:
            findings.append(
                Finding(
                    "spent_over_received_source",
                    _("从“{source}”发放 {s} 元，超过该来源实际到位的 {r} 元。").format(
                        source=FundingSource(source).label, s=format_yuan(spent), r=format_yuan(got)
                    ),
                    f"{source}:{spent}:{got}",
                )
            )
    for key, code, text in [
        ("targeting_accuracy", "ineligible_payments", _("有 {n} 笔发放的对象在发放日不符合条件。")),
        ("standard_accuracy", "outside_standard", _("有 {n} 笔发放的金额不符合补助标准。")),
    ]:
        value = values[key]
        if value.denominator and value.numerator != value.denominator:
            n = value.denominator - value.numerator
            findings.append(Finding(code, text.format(n=n), str(n)))
    return findings


# (pattern, figure) — each pattern's first group is the number a paragraph claims (thousands separators allowed).
NUMBER = r"(\d[\d,，]*(?:\.\d+)?)"
CLAIMS = [
    (r"(?:项目下达资金|预算资金)\s*" + NUMBER + r"\s*万元", "budget_wan"),
    (r"实际(?:到位项目资金|到位资金|到位|拨付)\s*" + NUMBER + r"\s*万元", "received_wan"),
    (r"使用资金\s*" + NUMBER + r"\s*万元", "disbursed_wan"),
    (r"帮扶困难职工\s*" + NUMBER + r"\s*户", "households"),
    (r"帮扶困难职工\s*[\d,，]+\s*户\s*" + NUMBER + r"\s*人", "persons"),
    (r"发放专项补助资金\s*" + NUMBER + r"\s*人", "persons_paid"),
    (r"资金使用率(?:达到)?\s*" + NUMBER + r"\s*%", "usage_rate"),
    (r"由\s*" + NUMBER + r"\s*个地州市工会", "organizations"),
]
LABELS = {
    "budget_wan": gettext_lazy("下达（预算）资金（万元）"),
    "received_wan": gettext_lazy("实际到位资金（万元）"),
    "disbursed_wan": gettext_lazy("使用资金（万元）"),
    "households": gettext_lazy("帮扶户数"),
    "persons": gettext_lazy("帮扶人数"),
    "persons_paid": gettext_lazy("发放人数"),
    "usage_rate": gettext_lazy("资金使用率（%）"),
    "organizations": gettext_lazy("实施的地州市工会数"),
}


def computed_figures(
    program: Program,
    fiscal_year: FiscalYear,
    values: dict[str, IndicatorValue] | None = None,
    context: IndicatorContext | None = None,
) -> dict[str, Decimal]:
    ctx = context or IndicatorContext(program=program, fiscal_year=fiscal_year)
    values = values if values is not None else compute_all(program, fiscal_year, context=ctx)
    organizations = len(
        {
            row["paying_organization"]
            for row in ctx.paid_by_organization_and_source
            if row["paying_organization__kind"] == OrganizationKind.PREFECTURE
        }
    )
    return {
        "budget_wan": to_wan(ctx.annual_budget),
        "received_wan": to_wan(values["funds_received_rate"].numerator),
        "disbursed_wan": to_wan(ctx.disbursed),
        "households": values["households_assisted"].value,
        "persons": values["persons_assisted"].value,
        "persons_paid": values["persons_paid"].value,
        "usage_rate": values["budget_execution_rate"].value,
        "organizations": Decimal(organizations),
    }


def narrative_findings(
    text: str, program: Program | None, fiscal_year: FiscalYear, figures: dict[str, Decimal] | None = None
) -> list[Finding]:
    """Claims in a paragraph that contradict the data, and years other than the report's.

    Without a program (the department-wide report, which speaks of several funds at once) only the years are checked.
    `figures`: `computed_figures` already computed for the program-year, to avoid a second pass.
    """
    if program is None:
        figures = {}
    elif figures is None:
        figures = computed_figures(program, fiscal_year)
    findings = []
    for pattern, figure in CLAIMS:
        actual = figures.get(figure)
        if actual is None:
            continue
        for match in re.finditer(pattern, text):
            claimed = Decimal(re.sub(r"[,，]", "", match.group(1)))
            if claimed.quantize(Decimal("0.01")) != Decimal(actual).quantize(Decimal("0.01")):
                findings.append(
                    Finding(
                        "figure_differs",
                        _("文中“{quote}”与数据不符：{label}应为 {actual}。").format(
                            quote=match.group(0), label=LABELS[figure], actual=_plain(actual)
                        ),
                        match.group(0),
                    )
                )
    for year in sorted({int(y) for y in re.findall(r"(20\d\d)\s*年", text)} - {fiscal_year.year}):
        findings.append(
            Finding(
                "other_year",
                _("文中提到 {year} 年，而本报告是 {own} 年度的。").format(year=year, own=fiscal_year.year),
                str(year),
            )
        )
    return findings


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
