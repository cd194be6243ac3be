"""A report document to bytes: the full report as PDF, its 自评表 as PDF or .xlsx (all through reports/pdf.py)."""

from core.exports import official
from core.money import WAN_ROUNDING_NOTE
from reports.document import ReportDocument
from reports.pdf import render_pdf
from reports.self_evaluation import DepartmentTable
from reports.workbooks import department_workbook, self_evaluation_workbook


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
