"""The 绩效运行监控 report of a program-year at a day: the computed monitoring (evaluation.monitoring), the table the
provinces call 项目支出绩效目标执行监控表, and the staff's reasons and 纠偏措施 for each warning.

One structure feeds the page, the PDF (reports/templates/reports/monitoring_pdf.html) and the .xlsx
(reports/workbooks.monitoring_workbook); `monitoring_data_version` fingerprints what they print.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from core.exports import official
from core.money import ZERO, quantize, to_wan
from evaluation.choices import DeviationFlag
from evaluation.monitoring import ExecutionLine, Monitoring, MonitoringWarning, linear_projection, monitor
from evaluation.templatetags.indicators import actual_display, value_display
from funds.models import Disbursement, User
from reports.figures import FundsBySource, federation, funds_by_source
from reports.models import MonitoringReport, WarningExplanation
from reports.self_evaluation import merge_runs


@dataclass(frozen=True)
class MonitoringFundsLine:
    label: str
    initial: Decimal
    annual: Decimal
    executed: Decimal  # 1–X 月执行数
    projected: Decimal | None  # 全年预计执行数 (linear in time)

    @property
    def rate(self) -> Decimal | None:
        return quantize(self.executed * 100 / self.annual) if self.annual else None


@dataclass(frozen=True)
class MonitoringIndicatorLine:
    level1: str
    level2: str
    name: str
    target: str
    so_far: str
    projected: str
    method: str
    outlook: str  # 预计完成 / 预计无法完成 / 预计超额 30% 以上 / —
    flagged: bool
    reason: str  # the warning's reason and 纠偏措施, where the indicator raised one


@dataclass
class MonitoringDocument:
    report: MonitoringReport
    monitoring: Monitoring
    project: str
    department: str
    implementer: str
    funds: list[MonitoringFundsLine]
    indicators: list[MonitoringIndicatorLine]
    explanations: dict[str, WarningExplanation]

    @property
    def year(self) -> int:
        return self.report.fiscal_year.year

    @property
    def through_month(self) -> str:
        """“1—6月”: the period the 执行数 covers."""
        return _("1—{month}月").format(month=self.report.as_of.month)

    @property
    def warnings(self) -> list[tuple[MonitoringWarning, WarningExplanation | None]]:
        return [(w, self.explanations.get(w.key)) for w in self.monitoring.warnings]

    @property
    def unexplained(self) -> list[MonitoringWarning]:
        return [w for w in self.monitoring.warnings if w.key not in self.explanations]

    @property
    def total_funds(self) -> MonitoringFundsLine:
        executed = self.monitoring.execution.executed
        return MonitoringFundsLine(
            _("年度资金总额"),
            sum((line.initial for line in self.funds), ZERO),
            sum((line.annual for line in self.funds), ZERO),
            executed,
            linear_projection(executed, self.monitoring.elapsed),
        )

    @property
    def indicator_rows(self) -> list[tuple[MonitoringIndicatorLine, int, int]]:
        level1 = merge_runs([line.level1 for line in self.indicators])
        level2 = merge_runs([(line.level1, line.level2) for line in self.indicators])
        return list(zip(self.indicators, level1, level2, strict=True))

    @property
    def method_groups(self) -> list[tuple[str, str]]:
        """(the indicators' names, the method) once per projection method used."""
        names: dict[str, list[str]] = {}
        for line in self.indicators:
            names.setdefault(line.method, []).append(line.name)
        return [("、".join(indicators), method) for method, indicators in names.items()]

    @property
    def method_notes(self) -> list[str]:
        """“预测方法（…）：…。” under the table."""
        return [
            _("预测方法（{names}）：{method}。").format(names=names, method=method)
            for names, method in self.method_groups
        ]

    @property
    def lagging(self) -> list[ExecutionLine]:
        return self.monitoring.lagging_organizations


def _outlook(flag: str | None, projected: Decimal | None) -> str:
    if projected is None:
        return "—"
    return str(DeviationFlag(flag).label) if flag else _("预计完成")


def _funds(monitoring: Monitoring, sources: list[FundsBySource]) -> list[MonitoringFundsLine]:
    return [
        MonitoringFundsLine(
            row.label, row.initial, row.annual, row.executed, linear_projection(row.executed, monitoring.elapsed)
        )
        for row in sources
    ]


@official
def build_monitoring(*, report: MonitoringReport, user: User) -> MonitoringDocument:
    """The monitoring of `report`'s program-year as of its day, with the explanations staff have written; always in
    Chinese (an official document), whatever the interface language."""
    monitoring = monitor(user=user, program=report.program, fiscal_year=report.fiscal_year, as_of=report.as_of)
    explanations = {e.warning_key: e for e in report.explanations.all()} if report.pk else {}
    by_indicator = {w.key.split(":", 1)[1]: w for w in monitoring.warnings if w.rule.kind.startswith("indicator_")}
    lines = []
    for projection in monitoring.projections:
        indicator = projection.scored.indicator
        warning = by_indicator.get(indicator.name)
        explanation = explanations.get(warning.key) if warning else None
        lines.append(
            MonitoringIndicatorLine(
                level1=indicator.get_level1_display(),
                level2=indicator.get_level2_display(),
                name=indicator.name,
                target=indicator.target_display(),
                so_far=actual_display(projection.scored),
                projected=value_display(indicator, projection.projected),
                method=str(projection.method_label),
                outlook=_outlook(projection.flag, projection.projected),
                flagged=projection.flag is not None,
                reason=(
                    _("原因：{reason}；纠偏措施：{action}").format(
                        reason=explanation.reason, action=explanation.corrective_action
                    )
                    if explanation
                    else ""
                ),
            )
        )
    head = federation()
    ctx = monitoring.evaluation.context
    return MonitoringDocument(
        report=report,
        monitoring=monitoring,
        project=report.program.name,
        department=head.name if head else "",
        implementer=report.program.managing_department,
        funds=_funds(monitoring, funds_by_source(report.program, report.fiscal_year, ctx)),
        indicators=lines,
        explanations=explanations,
    )


def monitoring_data_version(document: MonitoringDocument) -> str:
    """SHA-256 over the figures the monitoring prints plus a watermark of the payment ledger up to its day."""
    monitoring = document.monitoring
    ledger = Disbursement.objects.filter(
        fiscal_year=document.report.fiscal_year, program=document.report.program, paid_on__lte=document.report.as_of
    ).aggregate(
        rows=Count("pk"), last=Max("pk"), total=Sum("amount"), reversed=Count("pk", filter=Q(status="reversed"))
    )
    content = {
        "funds": [list(vars(line).values()) for line in document.funds],
        "organizations": [[line.label, line.budget, line.executed] for line in monitoring.by_organization],
        "indicators": [list(vars(line).values())[:-1] for line in document.indicators],
        "warnings": [[w.key, w.message] for w in monitoring.warnings],
        "ledger": {key: str(value) for key, value in ledger.items()},
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def monitoring_file_name(report: MonitoringReport, part: str, number: int | None = None) -> str:
    """Official, so Chinese: “2024年度自治区专项帮扶资金绩效运行监控报告（截至2024-06-30，第1版定稿）.pdf”."""
    what = "绩效运行监控表" if part == "xlsx" else "绩效运行监控报告"
    state = f"第{number}版定稿" if number else "草稿"
    return f"{report.fiscal_year.year}年度{report.program.name}{what}（截至{report.as_of.isoformat()}，{state}）.{part}"


@dataclass(frozen=True)
class MonitoringSection:
    heading: str
    paragraphs: list[str]


@official
def monitoring_sections(document: MonitoringDocument) -> list[MonitoringSection]:
    """The monitoring report's text, every figure from the monitoring (the same as the table beneath it)."""
    monitoring = document.monitoring
    execution = monitoring.execution
    day = document.report.as_of
    date_text = f"{day.year}年{day.month}月{day.day}日"
    total = document.total_funds
    if execution.lag is None:
        progress = _("全年预算数为零，无法计算执行进度。")
    else:
        side = _("落后") if execution.lag > 0 else _("超前")
        progress = _(
            "截至{date}，全年预算数{annual}万元，已执行{executed}万元，执行进度{rate}%；时间进度{elapsed}%，"
            "执行进度{side}时间进度{lag}个百分点。按时间进度线性推算，全年预计执行{projected}万元。"
        ).format(
            date=date_text,
            annual=to_wan(total.annual),
            executed=to_wan(total.executed),
            rate=execution.rate,
            elapsed=monitoring.elapsed,
            side=side,
            lag=abs(execution.lag),
            projected=to_wan(total.projected),
        )
    organizations = monitoring.by_organization
    lagging = document.lagging
    if lagging:
        by_unit = _("{count}个单位中，{lagging}个执行进度落后于时间进度：{names}。").format(
            count=len(organizations),
            lagging=len(lagging),
            names="、".join(_("{name}{rate}%").format(name=line.label, rate=line.rate) for line in lagging),
        )
    else:
        by_unit = _("{count}个单位的执行进度均不落后于时间进度。").format(count=len(organizations))
    outlooks: dict[str, list[str]] = {}
    for line in document.indicators:
        outlooks.setdefault(line.outlook, []).append(line.name)
    expected = str(_("预计完成"))
    summary = _("{count}项三级指标中，预计完成{done}项").format(
        count=len(document.indicators), done=len(outlooks.get(expected, []))
    )
    for label in (str(DeviationFlag.MISS.label), str(DeviationFlag.OVERSHOOT.label)):
        if outlooks.get(label):
            summary += _("，{label}{count}项（{names}）").format(
                label=label, count=len(outlooks[label]), names="、".join(outlooks[label])
            )
    if outlooks.get("—"):
        summary += _("，{count}项为年末调查或手工填报、暂不预测").format(count=len(outlooks["—"]))
    warnings = []
    for index, (warning, explanation) in enumerate(document.warnings, start=1):
        text = _("{index}. {rule}：{message}").format(index=index, rule=warning.rule.name, message=warning.message)
        if explanation:
            text += _("偏差原因：{reason}纠偏措施：{action}").format(
                reason=_sentence(explanation.reason), action=_sentence(explanation.corrective_action)
            )
        else:
            text += _("（尚未说明原因和纠偏措施）")
        warnings.append(text)
    return [
        MonitoringSection(_("一、预算执行情况"), [progress]),
        MonitoringSection(_("二、各单位执行进度"), [by_unit]),
        MonitoringSection(_("三、绩效目标完成情况及全年预计"), [summary + "。"]),
        MonitoringSection(_("四、预警及纠偏措施"), warnings or [_("无预警。")]),
        MonitoringSection(
            _("五、预测方法"),
            [_("{names}：{method}。").format(names=names, method=method) for names, method in document.method_groups],
        ),
    ]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "；")) else text + "。"
