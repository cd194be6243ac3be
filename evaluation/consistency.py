"""Inconsistencies in the data a report must not be finalised with (the narrative's claims: reports.claims)."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.money import ZERO, format_yuan
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
    values: Mapping[str, IndicatorValue] | None = None,
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
