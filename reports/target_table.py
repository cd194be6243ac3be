"""The 绩效目标表 as an official file: PDF (reports/templates/reports/target_table_pdf.html) and .xlsx, one structure.

Columns as the provinces' 项目支出绩效目标表 draws them: 一级指标 | 二级指标 | 三级指标 | 指标值类型 | 年度指标值 |
计量单位 | 指标解释 | 评（扣）分标准 | 分值, under the project's name, department, funds and 年度总体目标.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.exports import MONEY_FORMAT, official, print_setup, workbook_bytes, write_cell
from core.money import WAN_ROUNDING_NOTE, to_wan
from evaluation.models import Indicator, TargetTable
from reports.figures import FundsBySource, federation, funds_by_source
from reports.pdf import render_pdf
from reports.self_evaluation import merge_runs
from reports.workbooks import BODY, BOLD, CENTRE, LEFT, RIGHT, fit_height, put_cell, put_title

# Excel widths (a CJK character is two), 130 in all: A4 landscape at 100 %.
WIDTHS = (10, 12, 20, 8, 16, 8, 22, 24, 10)


@dataclass(frozen=True)
class TargetLine:
    level1: str
    level2: str
    name: str
    value_type: str
    target: str
    unit: str
    explanation: str
    scoring_standard: str
    weight: Decimal


@dataclass
class TargetTableDocument:
    table: TargetTable
    project: str
    department: str
    implementer: str
    funds: list[FundsBySource]
    lines: list[TargetLine]

    @property
    def year(self) -> int:
        return self.table.fiscal_year.year

    @property
    def annual_budget(self) -> Decimal:
        return sum((row.annual for row in self.funds), Decimal(0))

    @property
    def rows(self) -> list[tuple[TargetLine, int, int]]:
        level1 = merge_runs([line.level1 for line in self.lines])
        level2 = merge_runs([(line.level1, line.level2) for line in self.lines])
        return list(zip(self.lines, level1, level2, strict=True))

    @property
    def state(self) -> str:
        """What the file is: 审核通过 on a date, or a draft (the watermark)."""
        if self.table.status == "approved" and self.table.reviewed_at:
            return f"审核通过（{self.table.reviewed_at.date().isoformat()}）"
        return "草稿（未审核通过）"

    @property
    def file_stem(self) -> str:
        return f"{self.year}年度{self.project}绩效目标表"


@official
def target_table_document(table: TargetTable) -> TargetTableDocument:
    """Always in Chinese (an official document), whatever the interface language."""
    head = federation()
    indicators = Indicator.objects.filter(program=table.program, fiscal_year=table.fiscal_year).order_by("sort_order")
    return TargetTableDocument(
        table=table,
        project=table.program.name,
        department=head.name if head else "",
        implementer=table.department,
        funds=funds_by_source(table.program, table.fiscal_year),
        lines=[
            TargetLine(
                level1=i.get_level1_display(),
                level2=i.get_level2_display(),
                name=i.name,
                value_type=i.value_type,
                target=i.target_display(),
                unit="" if i.unit == "none" else str(i.get_unit_display()),
                explanation=i.explanation,
                scoring_standard=i.scoring_standard,
                weight=i.weight,
            )
            for i in indicators
        ],
    )


@official
def target_table_pdf(document: TargetTableDocument) -> bytes:
    return render_pdf("reports/target_table_pdf.html", {"document": document, "rounding_note": WAN_ROUNDING_NOTE})


@official
def target_table_workbook(document: TargetTableDocument) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("绩效目标表")
    put_title(sheet, _("项目支出绩效目标表"), _("（{year}年度）").format(year=document.year))
    row = 3
    put_cell(sheet, row, 1, _("项目名称"), font=BOLD)
    put_cell(sheet, row, 2, document.project, span=8, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("主管部门"), font=BOLD)
    put_cell(sheet, row, 2, document.department, span=3, align=LEFT)
    put_cell(sheet, row, 5, _("实施单位"), span=2, font=BOLD)
    put_cell(sheet, row, 7, document.implementer, span=3, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("项目资金（万元）"), rows=1 + len(document.funds), font=BOLD)
    put_cell(sheet, row, 2, _("年度资金总额"), span=3, align=LEFT)
    put_cell(sheet, row, 5, to_wan(document.annual_budget), span=5, align=RIGHT, number_format=MONEY_FORMAT)
    for index, source in enumerate(document.funds):
        row += 1
        put_cell(sheet, row, 2, (_("其中：") if index == 0 else "") + source.label, span=3, align=LEFT)
        put_cell(sheet, row, 5, to_wan(source.annual), span=5, align=RIGHT, number_format=MONEY_FORMAT)
    row += 1
    put_cell(sheet, row, 1, _("年度总体目标"), font=BOLD)
    goal = document.table.overall_goal
    put_cell(sheet, row, 2, goal, span=8, align=LEFT)
    fit_height(sheet, row, [(goal, sum(WIDTHS[1:]))])
    row += 1
    header = row
    labels = [_("一级指标"), _("二级指标"), _("三级指标"), _("指标值类型"), _("年度指标值"), _("计量单位")]
    labels += [_("指标解释"), _("评（扣）分标准"), _("分值")]
    for column, label in enumerate(labels, start=1):
        put_cell(sheet, row, column, label, font=BOLD, align=CENTRE)
    for line, level1_span, level2_span in document.rows:
        row += 1
        if level1_span:
            put_cell(sheet, row, 1, line.level1, rows=level1_span)
        if level2_span:
            put_cell(sheet, row, 2, line.level2, rows=level2_span)
        for column, value in enumerate(
            [line.name, line.value_type, line.target, line.unit, line.explanation, line.scoring_standard], start=3
        ):
            put_cell(sheet, row, column, value, align=LEFT if column in (3, 7, 8) else CENTRE)
        weight_format = "0" if line.weight == line.weight.to_integral_value() else "0.00"
        put_cell(sheet, row, 9, line.weight, align=RIGHT, number_format=weight_format)
        fit_height(
            sheet, row, [(line.name, WIDTHS[2]), (line.explanation, WIDTHS[6]), (line.scoring_standard, WIDTHS[7])]
        )
    for note in (document.state, WAN_ROUNDING_NOTE):
        row += 1
        write_cell(sheet.cell(row=row, column=1), note).font = BODY
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    print_setup(sheet, title_rows=f"{header}:{header}")
    return workbook_bytes(workbook)
