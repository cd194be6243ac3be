"""A report document to bytes: the full report as PDF, its 自评表 as PDF or .xlsx (all through reports/pdf.py).

Draft PDFs are cached by what they print: the report's data version, its staff-written content (cover included)
and the layout's own source, so a second download of unchanged data is instant and any change makes a new file.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path

from django.core.cache import cache

from core.exports import official
from core.money import WAN_ROUNDING_NOTE
from evaluation import charts
from reports.document import ReportDocument, data_version
from reports.monitoring import MonitoringDocument, monitoring_sections
from reports.pdf import render_pdf
from reports.self_evaluation import DepartmentTable
from reports.workbooks import department_workbook, monitoring_workbook, self_evaluation_workbook


@official
def report_pdf(document: ReportDocument, *, draft: bool) -> bytes:
    """The whole report: the cover with its signature block, sections, charts, and the 自评表 as its appendix."""
    filed_on = document.report.filed_on
    return render_pdf(
        "reports/report_pdf.html",
        {
            "document": document,
            "draft": draft,
            # As the federation writes it (seed 000: 2025年03月13日); a draft not yet dated says so.
            "filed_on": f"{filed_on.year}年{filed_on.month:02d}月{filed_on.day:02d}日" if filed_on else "（未填写）",
            "rounding_note": WAN_ROUNDING_NOTE,
        },
    )


@official
def table_pdf(document: ReportDocument) -> bytes:
    """The 自评表 alone."""
    template = (
        "reports/department_table_pdf.html"
        if isinstance(document.table, DepartmentTable)
        else "reports/self_evaluation_pdf.html"
    )
    return render_pdf(template, {"table": document.table, "rounding_note": WAN_ROUNDING_NOTE})


@official
def table_workbook(document: ReportDocument) -> bytes:
    if isinstance(document.table, DepartmentTable):
        return department_workbook(document.table)
    return self_evaluation_workbook(document.table)


@official
def monitoring_pdf(document: MonitoringDocument, *, draft: bool) -> bytes:
    """The monitoring report: its text, then the 绩效运行监控表 on landscape pages."""
    day = document.report.as_of
    return render_pdf(
        "reports/monitoring_pdf.html",
        {
            "document": document,
            "draft": draft,
            "title": f"{document.year}年度{document.project}绩效运行监控报告",
            # Broken where a reader would: the project on the first line, what the document is on the second.
            "title_lines": [f"{document.year}年度{document.project}", "绩效运行监控报告"],
            "subtitle": f"（截至{day.year}年{day.month}月{day.day}日）",
            "sections": monitoring_sections(document),
            "rounding_note": WAN_ROUNDING_NOTE,
        },
    )


@official
def monitoring_xlsx(document: MonitoringDocument) -> bytes:
    return monitoring_workbook(document)


# Whatever decides how a PDF looks besides the figures and text that `data_version` and `content_hash` cover: a
# change to any of them (a template, the stylesheet, the fonts' declaration, the charts' drawing) is a new layout.
LAYOUT_SOURCES = [
    *sorted((Path(__file__).resolve().parent / "templates" / "reports").glob("*.html")),
    Path(__file__).resolve().parent / "pdf.py",
    Path(__file__).resolve().parent / "templatetags" / "report_tables.py",
    Path(charts.__file__).resolve(),
]
DRAFT_CACHE_SECONDS = 7 * 24 * 3600


@functools.cache
def layout_version() -> str:
    digest = hashlib.sha256()
    for path in LAYOUT_SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cached_draft(part: str, document: ReportDocument, render: Callable[[ReportDocument], bytes]) -> bytes:
    """`render(document)`, or the file made before for exactly the same data, text and layout."""
    report = document.report
    parts = [part, report.scope, str(report.fiscal_year.year), layout_version(), data_version(document)]
    identity = "|".join([*parts, report.content_hash()])
    key = "report-draft:" + hashlib.sha256(identity.encode()).hexdigest()
    content = cache.get(key)
    if content is None:
        content = render(document)
        cache.set(key, content, DRAFT_CACHE_SECONDS)
    return content
