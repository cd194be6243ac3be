"""The figures a report's text may quote, by placeholder name (`{{ 资金使用率 }}`), all computed from the data.

Narrative paragraphs never carry typed figures: staff write `使用资金{{ 使用资金 }}`, and the report inserts the value
the indicator functions compute — the same values the 自评表 and the dashboard show. Each value carries its unit
(万元, %, 户, 人), so a sum can never be read in the wrong unit. The department-wide report has its own figures plus
every program's, prefixed with the program's short name (`{{ 劳模补助·使用资金 }}`).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import ZERO, ratio, to_wan
from evaluation.choices import Comparator
from evaluation.indicators import IndicatorContext, IndicatorValue
from evaluation.selectors import Evaluation
from evaluation.templatetags.indicators import actual_display
from funds.choices import FundingSource, OrganizationKind
from funds.models import AppropriationLine, DepartmentBudgetLine, FiscalYear, Organization, Program

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
NOT_AVAILABLE = gettext_lazy("（暂无数据）")

# Name → what it inserts; shown to staff next to the editor. Values include their unit.
PROJECT_PLACEHOLDERS: dict[str, str] = {
    "年度": gettext_lazy("报告年度，如 2024"),
    "项目名称": gettext_lazy("项目全称"),
    "主管部门": gettext_lazy("主管部门（总工会）名称"),
    "实施部门": gettext_lazy("具体实施的部门"),
    "年初预算数": gettext_lazy("年初预算数（万元）"),
    "全年预算数": gettext_lazy("全年预算数（万元）"),
    "预算来源明细": gettext_lazy("全年预算按资金来源，如“自治区财政安排777.00万元，部门预算安排23.62万元”"),
    "当年财政拨款": gettext_lazy("全年预算中的当年财政拨款（万元）"),
    "上年结转资金": gettext_lazy("全年预算中的上年结转资金（万元）"),
    "其他资金": gettext_lazy("全年预算中的其他资金，如部门预算（万元）"),
    "实际到位资金": gettext_lazy("实际到位资金（万元）"),
    "使用资金": gettext_lazy("全年执行数（万元）"),
    "资金来源明细": gettext_lazy("执行数按资金来源的构成，如“其中当年财政拨款777.00万元、其他资金23.62万元”"),
    "资金到位率": gettext_lazy("实际到位 ÷ 全年预算（%）"),
    "资金使用率": gettext_lazy("全年执行数 ÷ 全年预算数（%）"),
    "帮扶户数": gettext_lazy("获得帮扶的困难职工家庭数（户）"),
    "帮扶人数": gettext_lazy("获得帮扶家庭的人口数，劳模为人数（人）"),
    "发放人数": gettext_lazy("获得发放的对象数（人）"),
    "基准日": gettext_lazy("计算覆盖率的基准日（年度评价参数），如“2022年11月25日”"),
    "在册健在人数": gettext_lazy("基准日在册、健在的劳模数（含暂停享受待遇的）（人）"),
    "暂停人数": gettext_lazy("基准日暂停享受待遇的劳模数（人）"),
    "已故（当年）": gettext_lazy("本年度内去世的劳模数（人）"),
    "退休劳模人数": gettext_lazy("基准日在册健在劳模中已退休的（人）"),
    "农牧民劳模人数": gettext_lazy("基准日在册健在劳模中的农牧民（人）"),
    "符合条件对象数": gettext_lazy("基准日在档的困难家庭数 / 在册健在未暂停的劳模数"),
    "覆盖率": gettext_lazy("发放对象 ÷ 符合条件对象（%）"),
    "对象界定准确率": gettext_lazy("发放日符合条件的笔数 ÷ 全部笔数（%）"),
    "补助标准执行准确率": gettext_lazy("符合补助标准的笔数 ÷ 全部笔数（%）"),
    "发放方式合规率": gettext_lazy("实名发放到个人账户的笔数 ÷ 全部笔数（%）"),
    "按时发放率": gettext_lazy("截止日期前发放的笔数 ÷ 全部笔数（%）"),
    "户均补助": gettext_lazy("元/户"),
    "人均补助": gettext_lazy("元/人"),
    "受益对象满意度": gettext_lazy("满意人数 ÷ 有效问卷数（%）"),
    "实施单位数": gettext_lazy("发放资金的地州市工会数（个）"),
    "实施单位": gettext_lazy("发放资金的地州市工会名单"),
    "发放明细": gettext_lazy("按发放类型的人数和金额"),
    "指标体系": gettext_lazy("指标体系的构成（一级、二级指标个数）"),
    "绩效目标": gettext_lazy("各三级指标及其年度指标值"),
    "完成情况": gettext_lazy("各三级指标的实际完成值"),
    "总分": gettext_lazy("自评总分（分）"),
    "评价等级": gettext_lazy("优 / 良 / 中 / 差"),
}
DEPARTMENT_PLACEHOLDERS: dict[str, str] = {
    "年度": gettext_lazy("报告年度"),
    "部门名称": gettext_lazy("部门（总工会）名称"),
    "专项资金财政拨款": gettext_lazy("各专项资金全年预算中当年财政拨款的合计（万元）"),
    "专项资金财政拨款明细": gettext_lazy("各专项资金的当年财政拨款"),
    "专项资金预算": gettext_lazy("各专项资金全年预算数合计，含上年结转和其他资金（万元）"),
    "专项资金明细": gettext_lazy("各专项资金的全年预算数"),
    "其他预算支出": gettext_lazy("部门其他预算支出的全年预算数合计（万元）"),
    "其他预算明细": gettext_lazy("部门其他预算支出逐项的预算数和执行数"),
    "部门预算合计": gettext_lazy("专项资金与其他支出的全年预算数合计（万元）"),
    "部门执行合计": gettext_lazy("全年执行数合计（万元）"),
    "部门预算执行率": gettext_lazy("部门执行合计 ÷ 部门预算合计（%）"),
    "结果应用": gettext_lazy("各专项资金评价结果的应用：等级、应用方式、下年度拟安排预算"),
}
PROGRAM_PREFIX_SEPARATOR = "·"


def wan(amount: Decimal | None) -> str:
    return _("{amount}万元").format(amount=f"{to_wan(amount or ZERO):,.2f}")


def percent(value: Decimal | None) -> str:
    if value is None:
        return str(NOT_AVAILABLE)
    return f"{_plain(value)}%"


def count(value: Decimal | int | None, unit: str) -> str:
    if value is None:
        return str(NOT_AVAILABLE)
    return f"{_plain(Decimal(value))}{unit}"


def _plain(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# How a budget sentence names each source's money (seed 001: “自治区财政安排777万元，部门预算安排23.62万元”).
SOURCE_WORDING = {
    FundingSource.CURRENT_FISCAL: gettext_lazy("自治区财政安排"),
    FundingSource.CARRIED_OVER: gettext_lazy("上年结转"),
    FundingSource.OTHER: gettext_lazy("部门预算安排"),
}


def chinese_date(day) -> str:
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def federation() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).first()


@dataclass(frozen=True)
class FundsBySource:
    source: str
    label: str
    initial: Decimal
    annual: Decimal
    executed: Decimal


def funds_by_source(
    program: Program, fiscal_year: FiscalYear, context: IndicatorContext | None = None
) -> list[FundsBySource]:
    """年初预算数, 全年预算数 and 全年执行数 of each funding source (the 自评表's 年度资金总额 rows)."""
    lines = {
        line["source"]: line
        for line in AppropriationLine.objects.filter(
            appropriation__program=program, appropriation__fiscal_year=fiscal_year
        ).values("source", "initial_budget", "annual_budget")
    }
    ctx = context or IndicatorContext(program=program, fiscal_year=fiscal_year)
    executed: dict[str, Decimal] = {}
    for row in ctx.paid_by_organization_and_source:
        executed[row["funding_source"]] = executed.get(row["funding_source"], ZERO) + row["total"]
    rows = []
    for source in FundingSource:
        # Some provinces print 本年财政拨款 where others print 当年财政拨款.
        label = str(source.label)
        if source == FundingSource.CURRENT_FISCAL:
            label = getattr(settings, "CURRENT_FISCAL_LABEL", "") or label
        rows.append(
            FundsBySource(
                source,
                label,
                lines.get(source, {}).get("initial_budget") or ZERO,
                lines.get(source, {}).get("annual_budget") or ZERO,
                executed.get(source) or ZERO,
            )
        )
    return rows


def project_figures(evaluation: Evaluation) -> dict[str, str]:
    """Every project placeholder's text for a scored program-year."""
    program, year, values = evaluation.program, evaluation.fiscal_year, evaluation.values
    ctx = evaluation.context or IndicatorContext(program=program, fiscal_year=year)
    sources = funds_by_source(program, year, ctx)
    received = ctx.received
    organizations = list(
        dict.fromkeys(
            row["paying_organization__short_name"]
            for row in ctx.paid_by_organization_and_source
            if row["paying_organization__kind"] == OrganizationKind.PREFECTURE
        )
    )
    by_kind = ctx.paid_by_kind
    coverage = values["coverage_rate"]
    head = federation()
    roster = ctx.roster_on_reference_day or {}
    annual_by_source = {s.source: s.annual for s in sources}

    def value(key: str) -> IndicatorValue:
        return values[key]

    return {
        "年度": str(year.year),
        "项目名称": program.name,
        "主管部门": head.name if head else "",
        "实施部门": program.managing_department,
        "年初预算数": wan(sum((s.initial for s in sources), ZERO)),
        "全年预算数": wan(evaluation.budget),
        "预算来源明细": "，".join(f"{SOURCE_WORDING[s.source]}{wan(s.annual)}" for s in sources if s.annual)
        or str(NOT_AVAILABLE),
        "当年财政拨款": wan(annual_by_source.get(FundingSource.CURRENT_FISCAL)),
        "上年结转资金": wan(annual_by_source.get(FundingSource.CARRIED_OVER)),
        "其他资金": wan(annual_by_source.get(FundingSource.OTHER)),
        "实际到位资金": wan(received),
        "使用资金": wan(evaluation.executed),
        "资金来源明细": _("其中") + "、".join(f"{s.label}{wan(s.executed)}" for s in sources if s.executed),
        "资金到位率": percent(value("funds_received_rate").value),
        "资金使用率": percent(value("budget_execution_rate").value),
        "帮扶户数": count(value("households_assisted").value, _("户")),
        "帮扶人数": count(value("persons_assisted").value, _("人")),
        "发放人数": count(value("persons_paid").value, _("人")),
        "基准日": chinese_date(ctx.settings.eligibility_date) if ctx.settings else str(NOT_AVAILABLE),
        "在册健在人数": count(roster.get("living"), _("人")),
        "暂停人数": count(roster.get("suspended"), _("人")),
        "已故（当年）": count(roster.get("died_in_year"), _("人")),
        "退休劳模人数": count(roster.get("retired"), _("人")),
        "农牧民劳模人数": count(roster.get("farmer_herder"), _("人")),
        "符合条件对象数": count(coverage.denominator, _("户") if ctx.for_households else _("人")),
        "覆盖率": percent(coverage.value),
        "对象界定准确率": percent(value("targeting_accuracy").value),
        "补助标准执行准确率": percent(value("standard_accuracy").value),
        "发放方式合规率": percent(value("payment_method_compliance").value),
        "按时发放率": percent(value("on_time_rate").value),
        "户均补助": count(value("average_per_household").value, _("元")),
        "人均补助": count(value("average_per_person").value, _("元")),
        "受益对象满意度": percent(value("satisfaction_rate").value),
        "实施单位数": count(ctx.prefectures_paying, _("个")),
        "实施单位": "、".join(organizations) or str(NOT_AVAILABLE),
        "发放明细": "；".join(
            _("{kind}发放{n}人，拨付资金{amount}").format(
                kind=row["payment_kind__name"], n=row["n"], amount=wan(row["total"])
            )
            for row in by_kind
        )
        or str(NOT_AVAILABLE),
        "指标体系": indicator_system_sentence(evaluation),
        "绩效目标": "；".join(_target(row.indicator) for row in evaluation.rows) or str(NOT_AVAILABLE),
        "完成情况": "；".join(f"{row.indicator.name}{actual_display(row)}" for row in evaluation.rows)
        or str(NOT_AVAILABLE),
        "总分": _("{score}分").format(score=evaluation.total),
        "评价等级": str(evaluation.grade),
    }


def _target(indicator) -> str:
    separator = "：" if indicator.comparator == Comparator.QUALITATIVE else ""
    return f"{indicator.name}{separator}{indicator.target_display()}"


def indicator_system_sentence(evaluation: Evaluation) -> str:
    """“一级指标四类，分别为产出指标、…；二级指标六类，分别为数量指标2个、…” from the year's indicators."""
    level1: dict[str, int] = {}
    level2: dict[str, int] = {}
    for row in evaluation.rows:
        level1[row.indicator.get_level1_display()] = level1.get(row.indicator.get_level1_display(), 0) + 1
        level2[row.indicator.get_level2_display()] = level2.get(row.indicator.get_level2_display(), 0) + 1
    if not level1:
        return str(NOT_AVAILABLE)
    return _("一级指标{n1}类，分别为{names1}；二级指标{n2}类，分别为{names2}；三级指标共{n3}个").format(
        n1=len(level1),
        names1="、".join(level1),
        n2=len(level2),
        names2="、".join(f"{name}{n}个" for name, n in level2.items()),
        n3=len(evaluation.rows),
    )


@dataclass(frozen=True)
class BudgetRow:
    """One line of the department's budget: a special fund or another budget line."""

    name: str
    initial: Decimal
    annual: Decimal
    executed: Decimal

    @property
    def execution_rate(self) -> Decimal | None:
        rate = ratio(self.executed, self.annual)
        return None if rate is None else rate * 100


def department_budget_rows(fiscal_year: FiscalYear, evaluations: list[Evaluation]) -> list[BudgetRow]:
    rows = []
    for evaluation in evaluations:
        sources = funds_by_source(evaluation.program, fiscal_year, evaluation.context)
        initial = sum((s.initial for s in sources), ZERO)
        rows.append(BudgetRow(evaluation.program.name, initial, evaluation.budget, evaluation.executed))
    for line in DepartmentBudgetLine.objects.filter(fiscal_year=fiscal_year).order_by("name"):
        rows.append(BudgetRow(line.name, line.initial_budget, line.annual_budget, line.executed))
    return rows


def department_figures(
    fiscal_year: FiscalYear, evaluations: list[Evaluation], program_figures: Mapping[str, Mapping[str, str]]
) -> dict[str, str]:
    """The department placeholders, plus each program's figures as `简称·名称`."""
    rows = department_budget_rows(fiscal_year, evaluations)
    special, other = rows[: len(evaluations)], rows[len(evaluations) :]
    fiscal = [
        (
            e.program.name,
            next(
                s.annual
                for s in funds_by_source(e.program, fiscal_year, e.context)
                if s.source == FundingSource.CURRENT_FISCAL
            ),
        )
        for e in evaluations
    ]
    annual = sum((r.annual for r in rows), ZERO)
    executed = sum((r.executed for r in rows), ZERO)
    head = federation()
    figures = {
        "年度": str(fiscal_year.year),
        "部门名称": head.name if head else "",
        "专项资金财政拨款": wan(sum((amount for _name, amount in fiscal), ZERO)),
        "专项资金财政拨款明细": _("其中") + "、".join(f"{name}{wan(amount)}" for name, amount in fiscal),
        "专项资金预算": wan(sum((r.annual for r in special), ZERO)),
        "专项资金明细": _("其中") + "、".join(f"{r.name}{wan(r.annual)}" for r in special),
        "其他预算支出": wan(sum((r.annual for r in other), ZERO)),
        "其他预算明细": "；".join(
            _("{name}预算{annual}，执行{executed}").format(name=r.name, annual=wan(r.annual), executed=wan(r.executed))
            for r in other
        )
        or str(NOT_AVAILABLE),
        "部门预算合计": wan(annual),
        "部门执行合计": wan(executed),
        "部门预算执行率": percent(None if not annual else (ratio(executed, annual) * 100).quantize(Decimal("0.01"))),
        "结果应用": result_applications_sentence(fiscal_year, [e.program for e in evaluations]),
    }
    for short_name, values in program_figures.items():
        for name, text in values.items():
            figures[f"{short_name}{PROGRAM_PREFIX_SEPARATOR}{name}"] = text
    return figures


def result_applications_sentence(fiscal_year: FiscalYear, programs: list[Program]) -> str:
    """“专项帮扶资金评价等级“优”，优先保障，下年度拟安排123.00万元” per fund, from finance's 结果应用 records."""
    from reports.models import ResultApplication

    latest = {}
    for row in ResultApplication.objects.filter(snapshot__report__fiscal_year=fiscal_year).order_by("recorded_at"):
        latest[row.snapshot.report.program_id] = row
    parts = []
    for program in programs:
        row = latest.get(program.pk)
        if row is None:
            parts.append(_("{program}尚未记录结果应用").format(program=program.name))
        else:
            parts.append(
                _("{program}评价等级“{grade}”，{application}，下年度拟安排{budget}").format(
                    program=program.name, grade=row.grade, application=row.application, budget=wan(row.proposed_budget)
                )
            )
    return "；".join(parts)


def placeholders_in(text: str) -> list[str]:
    return [match.group(1) for match in PLACEHOLDER.finditer(text)]


def unknown_placeholders(text: str, known: Mapping[str, object]) -> list[str]:
    return sorted({name for name in placeholders_in(text) if name not in known})


def fill(text: str, figures: Mapping[str, str]) -> str:
    """Replace every `{{ 名称 }}` by its figure; an unknown name stays visible as typed (finalising refuses it).

    Plain substitution, never a template engine: the text is staff input and must not be able to run anything.
    """
    return fill_with_spans(text, figures)[0]


def fill_with_spans(text: str, figures: Mapping[str, str]) -> tuple[str, list[tuple[int, int]]]:
    """`fill`, and where in the result each inserted figure stands (the claims check reads only typed numbers)."""
    parts, spans, position, last = [], [], 0, 0
    for match in PLACEHOLDER.finditer(text):
        parts.append(text[last : match.start()])
        position += match.start() - last
        value = figures.get(match.group(1), match.group(0))
        parts.append(value)
        if match.group(1) in figures:
            spans.append((position, position + len(value)))
        position += len(value)
        last = match.end()
    parts.append(text[last:])
    return "".join(parts), spans


def known_placeholders(kind: str, programs: list[Program]) -> dict[str, str]:
    """The names a report of `kind` may use, with what each inserts (for validation and the editor's list)."""
    from reports.choices import ReportKind

    if kind == ReportKind.PROJECT:
        return {name: str(text) for name, text in PROJECT_PLACEHOLDERS.items()}
    names = {name: str(text) for name, text in DEPARTMENT_PLACEHOLDERS.items()}
    for program in programs:
        for name, text in PROJECT_PLACEHOLDERS.items():
            names[f"{program.short_name}{PROGRAM_PREFIX_SEPARATOR}{name}"] = f"{program.short_name}：{text}"
    return names
