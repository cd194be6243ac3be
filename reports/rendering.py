"""A report document to bytes: the full report as PDF, its 自评表 as PDF or .xlsx (all through reports/pdf.py)."""

import datetime

from django.utils import timezone

from core.exports import official
from core.money import WAN_ROUNDING_NOTE
from reports.document import ReportDocument
from reports.pdf import render_pdf
from reports.self_evaluation import DepartmentTable, department_workbook, self_evaluation_workbook


@official
def report_pdf(document: ReportDocument, *, draft: bool, filled_on: datetime.date | None = None) -> bytes:
    """The whole report: sections, charts, and the 自评表 as its appendix."""
    return render_pdf(
        "reports/report_pdf.html",
        {
            "document": document,
            "draft": draft,
            "filled_on": (filled_on or timezone.localdate()).strftime("%Y-%m-%d"),
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
