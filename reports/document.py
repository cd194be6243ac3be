"""A report as a document: its sections with the figures filled in, its charts and its table, its findings.

The web preview, the PDF, the .xlsx, `render_report` and finalisation all build this one structure, so they show the
same text and figures. A report that staff have not started yet is built from the outline's starting texts.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, Sum
from django.utils.translation import gettext as _

from core.exports import official
from evaluation.charts import Chart, disbursed_by_organization_chart, fund_flow_chart
from evaluation.consistency import Finding, data_findings
from evaluation.indicators import IndicatorContext
from evaluation.selectors import Evaluation, evaluate
from funds.models import Disbursement, FiscalYear, Program, User
from reports.choices import DEPARTMENT_SCOPE, ReportKind
from reports.claim_figures import claim_figures
from reports.claims import check_claims
from reports.figures import (
    department_budget_rows,
    department_figures,
    federation,
    fill,
    fill_with_spans,
    project_figures,
    unknown_placeholders,
)
from reports.models import Report
from reports.outline import outline_for
from reports.self_evaluation import DepartmentTable, SelfEvaluationTable, self_evaluation_table

GOAL_DEFAULT = "{{ 绩效目标 }}"
OUTCOME_DEFAULT = "使用资金{{ 使用资金 }}，资金使用率{{ 资金使用率 }}。{{ 完成情况 }}。"


@dataclass
class RenderedSection:
    key: str
    heading: str
    level: int
    source: str  # as staff wrote it, with placeholders
    text: str  # with the figures filled in
    editable: bool
    charts: bool
    spans: list[tuple[int, int]] = field(default_factory=list)  # where in `text` the placeholders' figures stand

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    @property
    def is_short(self) -> bool:
        """Two lines of text at most ("无"): printed with the lines before it, never alone at the top of a page."""
        paragraphs = self.paragraphs
        return len(paragraphs) <= 1 and sum(len(p) for p in paragraphs) <= 2 * 28 - 2


@dataclass
class ReportFinding:
    finding: Finding
    where: str  # the section (or 自评表) it was found in; empty for the data
    blocking: bool  # must be fixed; an explanation cannot make it acceptable
    program: str = ""  # the program code, in the department report

    @property
    def key(self) -> str:
        return f"{self.program}:{self.where}:{self.finding.key}"

    @property
    def message(self) -> str:
        prefix = f"【{self.where}】" if self.where else ""
        return prefix + self.finding.message


@dataclass
class ReportDocument:
    report: Report
    title: str
    subtitle: str
    evaluations: list[Evaluation]
    others: list[IndicatorContext]  # the year's other funds (a project report may speak of them too)
    figures: dict[str, str]
    sections: list[RenderedSection]
    charts: list[Chart]
    table: SelfEvaluationTable | DepartmentTable
    findings: list[ReportFinding] = field(default_factory=list)

    @property
    def is_department(self) -> bool:
        return self.report.kind == ReportKind.DEPARTMENT

    @property
    def filename_stem(self) -> str:
        """ASCII, for clients that cannot take the Chinese name."""
        return f"self-evaluation-report-{self.report.fiscal_year.year}-{self.report.scope}"

    @property
    def official_name(self) -> str:
        """“2024年度自治区专项帮扶资金绩效自评报告”: the download's name."""
        return f"{self.report.fiscal_year.year}年度{self.title}"

    @property
    def table_name(self) -> str:
        """“2024年度自治区专项帮扶资金绩效自评表”, “2022年度部门整体支出绩效自评表”."""
        if self.is_department:
            return f"{self.report.fiscal_year.year}年度部门整体支出绩效自评表"
        return f"{self.report.fiscal_year.year}年度{self.report.program.name}绩效自评表"


def snapshot_file_name(report: Report, number: int, part: str) -> str:
    """“2024年度劳模专项补助资金绩效自评报告（第1版定稿）.pdf”, the 自评表 as “…绩效自评表（第1版定稿）.xlsx”."""
    subject = report.program.name if report.program_id else "部门单位整体支出"
    document = "绩效自评报告" if part == "pdf" else "绩效自评表"
    return f"{report.fiscal_year.year}年度{subject}{document}（第{number}版定稿）.{part}"


def report_for(*, fiscal_year: FiscalYear, scope: str) -> Report:
    """The stored report of the year for a program code (or 'department'), or an unsaved one with the outline."""
    if scope == DEPARTMENT_SCOPE:
        found = Report.objects.filter(fiscal_year=fiscal_year, kind=ReportKind.DEPARTMENT).first()
        return found or Report(fiscal_year=fiscal_year, kind=ReportKind.DEPARTMENT)
    program = Program.objects.get(code=scope)
    found = Report.objects.filter(fiscal_year=fiscal_year, program=program).first()
    return found or Report(fiscal_year=fiscal_year, kind=ReportKind.PROJECT, program=program)


def section_sources(report: Report) -> dict[str, str]:
    """Each section's text as staff left it, or the outline's starting text where they have not written one."""
    kind = report.program.beneficiary_kind if report.program_id else ""
    sources = {section.key: section.default_for(kind) for section in outline_for(report.kind) if section.editable}
    if report.pk:
        sources.update({s.key: s.body for s in report.sections.all() if s.key in sources})
    return sources


@official
def build_document(*, report: Report, user: User) -> ReportDocument:
    """The report as it prints: always in Chinese (an official document), whatever the interface language."""
    year = report.fiscal_year
    others: list[IndicatorContext] = []
    if report.kind == ReportKind.PROJECT:
        evaluations = [evaluate(user=user, program=report.program, fiscal_year=year)]
        others = [
            IndicatorContext(program=program, fiscal_year=year)
            for program in Program.objects.restrict(user).exclude(pk=report.program_id)
        ]
        figures = project_figures(evaluations[0])
        title = _("{project}绩效自评报告").format(project=report.program.name)
        charts = [
            fund_flow_chart([evaluations[0].context]),
            disbursed_by_organization_chart(evaluations[0].context),
        ]
    else:
        evaluations = [evaluate(user=user, program=p, fiscal_year=year) for p in Program.objects.restrict(user)]
        by_program = {e.program.short_name: project_figures(e) for e in evaluations}
        figures = department_figures(year, evaluations, by_program)
        title = _("部门单位整体支出绩效自评报告")
        charts = [fund_flow_chart([e.context for e in evaluations])]
    sources = section_sources(report)
    sections = []
    for section in outline_for(report.kind):
        text, spans = fill_with_spans(sources.get(section.key, ""), figures)
        sections.append(
            RenderedSection(
                key=section.key,
                heading=str(section.heading),
                level=section.level,
                source=sources.get(section.key, ""),
                text=text,
                editable=section.editable,
                charts=section.charts,
                spans=spans,
            )
        )
    if report.kind == ReportKind.PROJECT:
        table = self_evaluation_table(
            evaluations[0],
            goal=fill(report.goal_text or GOAL_DEFAULT, figures),
            outcome=fill(report.outcome_text or OUTCOME_DEFAULT, figures),
        )
    else:
        head = federation()
        table = DepartmentTable(
            year=year.year,
            department=head.name if head else "",
            budget_rows=department_budget_rows(year, evaluations),
            programs=[self_evaluation_table(e) for e in evaluations],
        )
    document = ReportDocument(
        report=report,
        title=title,
        subtitle=_("（{year}年度）").format(year=year.year),
        evaluations=evaluations,
        others=others,
        figures=figures,
        sections=sections,
        charts=charts,
        table=table,
    )
    document.findings = document_findings(document)
    return document


def document_findings(document: ReportDocument) -> list[ReportFinding]:
    """Everything that stands between the report and finalisation (DESIGN.md, "The report").

    Blocking — must be fixed: no indicators, an indicator that cannot be scored, a missing deviation reason, a
    placeholder that names no figure. Explainable — fixed in the data, or explained by finance staff: every data
    inconsistency and every narrative claim or year that contradicts the data.
    """
    report, year = document.report, document.report.fiscal_year
    findings: list[ReportFinding] = []
    single = len(document.evaluations) == 1 and not document.is_department
    for evaluation in document.evaluations:
        code = "" if single else evaluation.program.code
        where_table = _("{program}自评表").format(program=evaluation.program.short_name)
        if not evaluation.rows:
            findings.append(
                ReportFinding(Finding("no_indicators", _("本年度尚未设置绩效指标。")), where_table, True, code)
            )
        for row in evaluation.unscored:
            findings.append(
                ReportFinding(
                    Finding(
                        "unscored",
                        _("指标“{name}”尚不能评分（缺少数据或待填报）。").format(name=row.indicator.name),
                        row.indicator.name,
                    ),
                    where_table,
                    True,
                    code,
                )
            )
        for row in evaluation.reasons_missing:
            findings.append(
                ReportFinding(
                    Finding(
                        "reason_missing",
                        _("指标“{name}”未达到或大幅超过目标，须填写偏差原因分析及改进措施。").format(
                            name=row.indicator.name
                        ),
                        row.indicator.name,
                    ),
                    where_table,
                    True,
                    code,
                )
            )
        for finding in data_findings(evaluation.program, year, evaluation.values, evaluation.context):
            findings.append(ReportFinding(finding, "", False, code))
    catalogue, programs = claim_figures(year, document.evaluations, document.others)
    default_program = report.program.code if report.program_id else ""
    texts = [
        (section, section.source, section.text, section.spans) for section in document.sections if section.editable
    ]
    if not document.is_department:
        for heading, source, default in (
            (_("年度总体目标·预期目标"), report.goal_text, GOAL_DEFAULT),
            (_("年度总体目标·实际完成情况"), report.outcome_text, OUTCOME_DEFAULT),
        ):
            text, spans = fill_with_spans(source or default, document.figures)
            texts.append((heading, source or default, text, spans))
    for where, source, text, spans in texts:
        heading = where.heading if isinstance(where, RenderedSection) else where
        if isinstance(where, RenderedSection) and _is_empty(where):
            findings.append(
                ReportFinding(
                    Finding("empty_section", _("本节没有内容：请填写；确无内容的，请写“无”。"), where.key),
                    heading,
                    True,
                )
            )
        for name in unknown_placeholders(source, document.figures):
            findings.append(
                ReportFinding(
                    Finding("unknown_placeholder", _("没有名为“{name}”的数据项。").format(name=name), name),
                    heading,
                    True,
                )
            )
        for finding in check_claims(
            text,
            figures=catalogue,
            programs=programs,
            default_program=default_program,
            fiscal_year=year.year,
            spans=spans,
        ):
            findings.append(ReportFinding(finding, heading, False))
    return findings


def _is_empty(section: RenderedSection) -> bool:
    """Nothing but blanks, punctuation or the heading itself (a heading pasted as the text is no text)."""
    body = re.sub(r"[\s。．.：:、，,；;（）()一二三四五六七八九十]+", "", section.text)
    heading = re.sub(r"[\s。．.：:、，,；;（）()一二三四五六七八九十]+", "", section.heading)
    return not body or body == heading


def data_version(document: ReportDocument) -> str:
    """SHA-256 over everything the report shows plus a watermark of the payment ledger it was computed from.

    The content part changes whenever a figure, a score, a reason or a sentence would print differently; the
    watermark also catches changes that leave every printed figure equal (a batch reversed and re-imported).
    """
    programs = [e.program for e in document.evaluations]
    ledger = Disbursement.objects.filter(fiscal_year=document.report.fiscal_year, program__in=programs).aggregate(
        rows=Count("pk"), last=Max("pk"), total=Sum("amount"), reversed=Count("pk", filter=Q(status="reversed"))
    )
    content = {
        "figures": document.figures,
        "sections": [[s.key, s.text] for s in document.sections],
        "table": _table_content(document.table),
        "ledger": {key: str(value) for key, value in ledger.items()},
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def _table_content(table: SelfEvaluationTable | DepartmentTable) -> object:
    if isinstance(table, DepartmentTable):
        return [[r.name, r.initial, r.annual, r.executed] for r in table.budget_rows] + [
            _table_content(t) for t in table.programs
        ]
    return {
        "funds": [[f.label, f.initial, f.annual, f.executed] for f in table.funds],
        "goal": table.goal,
        "outcome": table.outcome,
        "indicators": [list(vars(line).values()) for line in table.indicators],
        "total": table.total,
        "scoring_rules": table.scoring_rules,
    }
