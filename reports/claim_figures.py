"""The figures a report's sentences may claim, with the words that name them (for reports.claims).

Every figure the data holds for the year: each fund's budget by source, receipts, allocation, execution (in total,
by source and by payment kind), persons and households, the roster on the reference day, every indicator's actual
value, the score; the department's own lines and totals; and the dates (reference day, plan dates, receipts). The
report's own fund is fully evaluated; the year's other funds contribute what their cached totals give, so a project
report may still say "其中自治区专项帮扶资金123万元、劳模专项补助资金777万元".
"""

from decimal import Decimal

from django.db.models import Sum

from core.money import ZERO
from evaluation.choices import ComputedKey, Level2, Unit
from evaluation.indicators import IndicatorContext, households_assisted, persons_assisted
from evaluation.selectors import Evaluation
from funds.choices import BeneficiaryKind, FundingSource, PlanStatus
from funds.models import AllocationLine, AllocationPlan, DepartmentBudgetLine, FiscalYear, FundsReceipt, Program
from reports.claims import Figure, ProgramWords
from reports.figures import funds_by_source

# Synonyms of the computed indicators, as the seeds and the provinces' reports write them.
INDICATOR_WORDS = {
    ComputedKey.FUNDS_RECEIVED_RATE: ("到位率",),
    ComputedKey.BUDGET_EXECUTION_RATE: ("使用率", "执行率"),
    ComputedKey.COVERAGE_RATE: ("覆盖率",),
    ComputedKey.TARGETING_ACCURACY: ("界定准确率", "对象界定"),
    ComputedKey.STANDARD_ACCURACY: ("标准执行准确率", "执行准确率"),
    ComputedKey.PAYMENT_METHOD_COMPLIANCE: ("合规率",),
    ComputedKey.ON_TIME_RATE: ("按时发放率", "及时率"),
    ComputedKey.SATISFACTION_RATE: ("满意度",),
}
LEVEL2_WORDS = {"satisfaction": ("满意度指标",)}
COUNT_UNIT = {Unit.PERSONS: "人", Unit.HOUSEHOLDS: "户"}


def program_words(program: Program) -> ProgramWords:
    base = program.name.removeprefix("自治区")
    words = {program.name, program.short_name, base}
    if program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD:
        words |= {"帮扶", "困难职工", "三节", "送温暖"}
    else:
        words |= {"劳模"}
    words |= set(program.payment_kinds.values_list("name", flat=True))
    return ProgramWords(program.code, tuple(sorted(words, key=len, reverse=True)))


def _program_money(program: Program, ctx: IndicatorContext, fiscal_year: FiscalYear) -> list[Figure]:
    code, names = program.code, (program.name, program.short_name, program.name.removeprefix("自治区"))
    sources = funds_by_source(program, fiscal_year, ctx)
    by_source = {s.source: s for s in sources}
    fiscal, other, carried = (
        by_source[FundingSource.CURRENT_FISCAL],
        by_source[FundingSource.OTHER],
        by_source[FundingSource.CARRIED_OVER],
    )
    allocated = (
        AllocationLine.objects.filter(
            plan__program=program, plan__fiscal_year=fiscal_year, plan__status=PlanStatus.APPROVED
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    money = [
        (
            "全年预算数",
            ("预算资金", "下达资金", "项目资金", "全年预算", "预算数", "财政预算", *names),
            ctx.annual_budget,
        ),
        ("年初预算数", ("年初预算",), sum((s.initial for s in sources), ZERO)),
        ("当年财政拨款", ("财政安排", "财政拨付", "财政预算", "财政拨款", "财政资金", *names), fiscal.annual),
        ("财政资金执行数", ("财政资金", "财政拨款"), fiscal.executed),
        ("其他资金", ("部门预算", "其他资金", "列支", "自有资金"), other.annual),
        ("其他资金执行数", ("部门预算", "其他资金", "列支"), other.executed),
        ("上年结转资金", ("上年结转", "结转"), carried.annual),
        ("实际到位资金", ("实际到位", "到位资金", "到位项目资金", "实际拨付", "到位"), ctx.received),
        ("使用资金", ("使用资金", "共使用", "使用", "执行数", "支出", "发放资金", *names), ctx.disbursed),
        ("分配资金", ("分配资金", "分配", "下拨"), allocated),
    ]
    figures = [Figure(label, words, "money", amount, program=code) for label, words, amount in money]
    unit = "户" if ctx.for_households else "人"
    for row in ctx.paid_by_kind:
        kind = row["payment_kind__name"]
        figures.append(Figure(f"{kind}金额", (kind,), "money", row["total"], program=code))
        figures.append(Figure(f"{kind}人数", (kind,), "count", Decimal(row["n"]), unit, program=code))
    return figures


def _program_counts(program: Program, ctx: IndicatorContext) -> list[Figure]:
    code = program.code
    households = ctx.for_households
    figures = [
        Figure("发放人数", ("发放专项补助资金", "实际发放", "发放", "补助资金", "劳模", "发放人数"), "count",
               Decimal(ctx.beneficiaries_paid), "户" if households else "人", program=code),
        Figure("实施单位数", ("实施单位",), "count", Decimal(ctx.prefectures_paying), "个", program=code,
               after=("地州市", "个地州市")),
    ]  # fmt: skip
    if households:
        figures += [
            Figure("帮扶户数", ("帮扶困难职工", "帮扶", "困难职工", "帮扶户数", "困难家庭"), "count",
                   households_assisted(ctx).value, "户", program=code),
            Figure("帮扶人数", ("帮扶困难职工", "帮扶人数", "帮扶", "困难职工"), "count",
                   persons_assisted(ctx).value, "人", program=code),
        ]  # fmt: skip
    population = ctx.eligible_population()
    if population is not None:
        figures.append(
            Figure("符合条件对象数", ("符合发放条件", "符合条件", "在档", "已建档", "建档", "在档困难职工",
                                      "已建档困难职工", "建档困难职工"), "count",
                   Decimal(population.count()), "户" if households else "人", program=code)
        )  # fmt: skip
    roster = ctx.roster_on_reference_day
    if roster is not None:
        for label, words, key in (
            ("在册健在人数", ("在册健在", "在册、健在", "健在", "在册"), "living"),
            ("暂停人数", ("暂停",), "suspended"),
            ("已故（当年）", ("去世", "已故", "逝世"), "died_in_year"),
        ):
            figures.append(Figure(label, words, "count", Decimal(roster[key]), "人", program=code))
    return figures


def _program_dates(program: Program, ctx: IndicatorContext, fiscal_year: FiscalYear) -> list[Figure]:
    code = program.code
    figures = []
    if ctx.settings is not None:
        reference_day = ctx.settings.eligibility_date
        figures.append(Figure("基准日", ("截止", "截至", "基准日"), "date", reference_day, program=code))
        figures.append(
            Figure("发放截止日期", ("发放截止", "截止日期", "截止", "截至"), "date", ctx.settings.payment_deadline,
                   program=code)
        )  # fmt: skip
    for plan_date in AllocationPlan.objects.filter(
        program=program, fiscal_year=fiscal_year, status=PlanStatus.APPROVED
    ).values_list("plan_date", flat=True):
        figures.append(
            Figure("分配方案日期", ("分配方案", "方案", "党组会议"), "date", plan_date, program=code,
                   after=("制定", "印发", "下达", "审议"))
        )  # fmt: skip
    for received_on in FundsReceipt.objects.filter(
        appropriation__program=program, appropriation__fiscal_year=fiscal_year
    ).values_list("received_on", flat=True):
        figures.append(Figure("资金到位日期", ("到位", "拨付", "拨款", "下达"), "date", received_on, program=code))
    return figures


def _evaluated(evaluation: Evaluation) -> list[Figure]:
    """The report's own fund: every indicator's actual value, the indicator system, the score."""
    code = evaluation.program.code
    figures = [Figure("自评得分", ("得分", "总分", "自评得分"), "count", evaluation.total, "分", program=code)]
    for key, words in INDICATOR_WORDS.items():
        value = evaluation.values.get(key)
        if value is not None and value.value is not None:
            figures.append(Figure(str(ComputedKey(key).label), words, "percent", value.value, program=code))
    level2: dict[str, int] = {}
    for row in evaluation.rows:
        indicator = row.indicator
        level2[indicator.level2] = level2.get(indicator.level2, 0) + 1
        if row.actual is None:
            continue
        if indicator.unit == Unit.PERCENT:
            words = (indicator.name, indicator.name[-3:])
            figures.append(Figure(indicator.name, words, "percent", row.actual, program=code))
        elif indicator.unit in COUNT_UNIT:
            figures.append(Figure(indicator.name, (indicator.name,), "count", row.actual, COUNT_UNIT[indicator.unit],
                                  program=code))  # fmt: skip
    for key, n in level2.items():
        name = str(Level2(key).label)
        figures.append(Figure(name, (name, *LEVEL2_WORDS.get(key, ())), "count", Decimal(n), "个", program=code))
    figures.append(Figure("三级指标个数", ("三级指标",), "count", Decimal(len(evaluation.rows)), "个", program=code))
    return figures


def _department(fiscal_year: FiscalYear, contexts: list[IndicatorContext]) -> list[Figure]:
    fiscal = ZERO
    special = ZERO
    executed = ZERO
    for ctx in contexts:
        sources = funds_by_source(ctx.program, fiscal_year, ctx)
        fiscal += next(s.annual for s in sources if s.source == FundingSource.CURRENT_FISCAL)
        special += ctx.annual_budget
        executed += ctx.disbursed
    lines = list(DepartmentBudgetLine.objects.filter(fiscal_year=fiscal_year))
    other_annual = sum((line.annual_budget for line in lines), ZERO)
    other_executed = sum((line.executed for line in lines), ZERO)
    figures = [
        Figure("专项资金财政拨款", ("项目资金共计", "共计", "财政预算专项", "专项资金", "财政拨付", "财政预算"),
               "money", fiscal),
        Figure("专项资金全年预算", ("专项资金全年预算", "专项资金预算", "专项资金"), "money", special),
        Figure("其他预算支出", ("其他预算支出", "其他支出"), "money", other_annual),
        Figure("部门预算合计", ("部门预算合计", "预算合计", "部门预算"), "money", special + other_annual),
        Figure("部门执行合计", ("执行合计", "全年执行", "部门执行"), "money", executed + other_executed),
    ]  # fmt: skip
    if special + other_annual:
        rate = (executed + other_executed) / (special + other_annual) * 100
        figures.append(Figure("部门预算执行率", ("预算执行率", "执行率"), "percent", rate))
    for line in lines:
        words = tuple(dict.fromkeys((line.name, line.name.split("、")[-1])))
        figures.append(Figure(line.name, words, "money", line.annual_budget))
        figures.append(Figure(f"{line.name}执行数", words, "money", line.executed))
    return figures


def claim_figures(
    fiscal_year: FiscalYear, evaluations: list[Evaluation], others: list[IndicatorContext]
) -> tuple[list[Figure], list[ProgramWords]]:
    """Everything the year's reports may claim: `evaluations` fully, `others` (the other funds) by their totals."""
    contexts = [e.context or IndicatorContext(program=e.program, fiscal_year=fiscal_year) for e in evaluations]
    contexts += others
    figures: list[Figure] = []
    for ctx in contexts:
        figures += _program_money(ctx.program, ctx, fiscal_year)
        figures += _program_counts(ctx.program, ctx)
        figures += _program_dates(ctx.program, ctx, fiscal_year)
        if ctx.annual_budget:
            for label, words, value in (
                ("资金到位率", INDICATOR_WORDS[ComputedKey.FUNDS_RECEIVED_RATE], ctx.received / ctx.annual_budget),
                ("资金使用率", INDICATOR_WORDS[ComputedKey.BUDGET_EXECUTION_RATE], ctx.disbursed / ctx.annual_budget),
            ):
                figures.append(Figure(label, words, "percent", value * 100, program=ctx.program.code))
    for evaluation in evaluations:
        figures += _evaluated(evaluation)
    figures += _department(fiscal_year, contexts)
    return figures, [program_words(ctx.program) for ctx in contexts]
