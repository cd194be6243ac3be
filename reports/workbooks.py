"""The 自评表 as .xlsx, in the official nine-column layout of the PDF's table (财预〔2020〕10号):

    A 绩效指标 | B 一级指标 | C 二级指标 | D 三级指标 | E 年度指标值 | F 实际完成值 | G 分值 | H 得分 | I 偏差原因…

with the funds block above using the same grid (B:C the row label, D–I 年初预算数 … 得分). Merged cells, thin
borders, 宋体, numbers as numbers (分值 `0`, 得分 `0.00`, money `#,##0.00`, 执行率 a percentage), text as text (a
target "=100%" is shown as written), and print setup: A4 landscape, one page wide, the indicator header repeated.
"""

import math
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.exports import MONEY_FORMAT, PERCENT_FORMAT, display_width, print_setup, workbook_bytes, write_cell
from core.money import WAN_ROUNDING_NOTE, to_wan
from reports.monitoring import MonitoringDocument
from reports.self_evaluation import DepartmentTable, SelfEvaluationTable

FONT_NAME = "宋体"
BODY = Font(name=FONT_NAME, size=10.5)
BOLD = Font(name=FONT_NAME, size=10.5, bold=True)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
SIDE = Side(style="thin", color="000000")
BOX = Border(left=SIDE, right=SIDE, top=SIDE, bottom=SIDE)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
# Widths in Excel's character units (a CJK character is two): 130 in all, which fits A4 landscape at 100 %.
WIDTHS = (9, 11, 14, 24, 15, 15, 7, 9, 26)
COLUMNS = len(WIDTHS)
WEIGHT_FORMAT = "0"
SCORE_FORMAT = "0.00"
LINE_HEIGHT = 14  # points, for 10.5 pt text


def put_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    value,
    *,
    span: int = 1,
    rows: int = 1,
    font: Font = BODY,
    align: Alignment = CENTRE,
    number_format: str | None = None,
) -> None:
    """One (possibly merged) cell of the grid, boxed on every side of its area."""
    cell = write_cell(sheet.cell(row=row, column=column), value)
    cell.font, cell.alignment = font, align
    if number_format and not isinstance(cell.value, str):
        cell.number_format = number_format
    if span > 1 or rows > 1:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row + rows - 1, end_column=column + span - 1)
    for r in range(row, row + rows):
        for c in range(column, column + span):
            sheet.cell(row=r, column=c).border = BOX


def fit_height(sheet: Worksheet, row: int, texts: list[tuple[str, int]]) -> None:
    """Excel does not grow a row for wrapped text in merged cells: set the height from the longest text for the
    width it has (`texts`: each text with the width of its cell, merged or not, in Excel's character units)."""
    lines = 1
    for text, width in texts:
        if text:
            lines = max(lines, math.ceil(display_width(text) / max(width - 1, 1)))
    sheet.row_dimensions[row].height = lines * LINE_HEIGHT + 6


def _width(first: int, span: int) -> int:
    return sum(WIDTHS[first - 1 : first - 1 + span])


def put_title(sheet: Worksheet, title: str, subtitle: str) -> None:
    put_cell(sheet, 1, 1, title, span=COLUMNS, font=TITLE)
    put_cell(sheet, 2, 1, subtitle, span=COLUMNS)
    for row in (1, 2):
        for column in range(1, COLUMNS + 1):
            sheet.cell(row=row, column=column).border = Border()
    sheet.row_dimensions[1].height = 26


def write_self_evaluation(sheet: Worksheet, table: SelfEvaluationTable) -> None:
    """The 项目支出绩效自评表 of one program-year on `sheet`."""
    put_title(sheet, _("项目支出绩效自评表"), _("（{year}年度）").format(year=table.year))
    row = 3
    put_cell(sheet, row, 1, _("项目名称"), font=BOLD)
    put_cell(sheet, row, 2, table.project, span=8, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("主管部门"), font=BOLD)
    put_cell(sheet, row, 2, table.department, span=3, align=LEFT)
    put_cell(sheet, row, 5, _("实施单位"), span=2, font=BOLD)
    put_cell(sheet, row, 7, table.implementer, span=3, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("项目资金（万元）"), rows=table.funds_rowspan, font=BOLD)
    put_cell(sheet, row, 2, "", span=2)
    for column, label in enumerate(
        [_("年初预算数"), _("全年预算数"), _("全年执行数"), _("分值"), _("执行率"), _("得分")], start=4
    ):
        put_cell(sheet, row, column, label, font=BOLD)
    row += 1
    put_cell(sheet, row, 2, _("年度资金总额"), span=2, align=LEFT)
    for column, amount in enumerate((table.initial_budget, table.annual_budget, table.executed), start=4):
        put_cell(sheet, row, column, to_wan(amount), align=RIGHT, number_format=MONEY_FORMAT)
    put_cell(sheet, row, 7, Decimal(10), align=RIGHT, number_format=WEIGHT_FORMAT)
    rate = "—" if table.execution_rate is None else table.execution_rate / 100
    put_cell(sheet, row, 8, rate, align=RIGHT, number_format=PERCENT_FORMAT)
    put_cell(sheet, row, 9, table.execution_score, align=RIGHT, number_format=SCORE_FORMAT)
    for index, source in enumerate(table.funds):
        row += 1
        label = (_("其中：") if index == 0 else "") + source.label
        put_cell(sheet, row, 2, label, span=2, align=LEFT)
        for column, amount in enumerate((source.initial, source.annual, source.executed), start=4):
            put_cell(sheet, row, column, to_wan(amount), align=RIGHT, number_format=MONEY_FORMAT)
        for column in (7, 8, 9):
            put_cell(sheet, row, column, "—")
    row += 1
    put_cell(sheet, row, 1, _("年度总体目标"), rows=2, font=BOLD)
    put_cell(sheet, row, 2, _("预期目标"), span=4, font=BOLD)
    put_cell(sheet, row, 6, _("实际完成情况"), span=4, font=BOLD)
    row += 1
    put_cell(sheet, row, 2, table.goal, span=4, align=LEFT)
    put_cell(sheet, row, 6, table.outcome, span=4, align=LEFT)
    fit_height(sheet, row, [(table.goal, _width(2, 4)), (table.outcome, _width(6, 4))])
    row += 1
    header = row
    for column, label in enumerate(
        [
            _("绩效指标"),
            _("一级指标"),
            _("二级指标"),
            _("三级指标"),
            _("年度指标值"),
            _("实际完成值"),
            _("分值"),
            _("得分"),
            _("偏差原因分析及改进措施"),
        ],
        start=1,
    ):
        put_cell(sheet, row, column, label, font=BOLD)
    lines = table.indicator_rows
    if lines:
        # 绩效指标 spans the header and every indicator row, as on the official form.
        sheet.merge_cells(start_row=header, start_column=1, end_row=header + len(lines), end_column=1)
    for line_row in lines:
        row += 1
        line = line_row.line
        if line_row.level1_span:
            put_cell(sheet, row, 2, line.level1, rows=line_row.level1_span)
        if line_row.level2_span:
            put_cell(sheet, row, 3, line.level2, rows=line_row.level2_span)
        put_cell(sheet, row, 4, line.name, align=LEFT)
        put_cell(sheet, row, 5, line.target)
        put_cell(sheet, row, 6, line.actual)
        weight_format = WEIGHT_FORMAT if line.weight == line.weight.to_integral_value() else SCORE_FORMAT
        put_cell(sheet, row, 7, line.weight, align=RIGHT, number_format=weight_format)
        put_cell(sheet, row, 8, "—" if line.score is None else line.score, align=RIGHT, number_format=SCORE_FORMAT)
        put_cell(sheet, row, 9, line.reason, align=LEFT)
        sheet.cell(row=row, column=1).border = BOX
        fit_height(
            sheet,
            row,
            [(line.name, WIDTHS[3]), (line.target, WIDTHS[4]), (line.actual, WIDTHS[5]), (line.reason, WIDTHS[8])],
        )
    row += 1
    put_cell(sheet, row, 1, _("总分"), span=6, font=BOLD)
    put_cell(sheet, row, 7, Decimal(100), align=RIGHT, number_format=WEIGHT_FORMAT)
    put_cell(sheet, row, 8, table.total, align=RIGHT, number_format=SCORE_FORMAT)
    put_cell(sheet, row, 9, _("评价等级：{grade}").format(grade=table.grade))
    write_cell(sheet.cell(row=row + 1, column=1), table.scoring_rules).font = BODY
    write_cell(sheet.cell(row=row + 2, column=1), WAN_ROUNDING_NOTE).font = BODY
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    print_setup(sheet, title_rows=f"{header}:{header}")


def self_evaluation_workbook(table: SelfEvaluationTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("自评表")
    write_self_evaluation(sheet, table)
    return workbook_bytes(workbook)


def department_workbook(table: DepartmentTable) -> bytes:
    """部门整体支出绩效目标自评表: the department's budget lines and each fund's score, then one sheet per fund."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("部门整体自评表")
    put_title(sheet, _("部门整体支出绩效目标自评表"), _("（{year}年度）").format(year=table.year))
    row = 3
    put_cell(sheet, row, 1, _("部门名称"), span=2, font=BOLD)
    put_cell(sheet, row, 3, table.department, span=7, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("支出项目（万元）"), span=4, font=BOLD)
    for column, label in ((5, _("年初预算数")), (6, _("全年预算数")), (7, _("全年执行数")), (9, _("执行率"))):
        put_cell(sheet, row, column, label, span=2 if column == 7 else 1, font=BOLD)
    for budget, font in [*((line, BODY) for line in table.budget_rows), (table.total, BOLD)]:
        row += 1
        put_cell(sheet, row, 1, budget.name, span=4, align=LEFT, font=font)
        for column, amount in ((5, budget.initial), (6, budget.annual), (7, budget.executed)):
            put_cell(
                sheet,
                row,
                column,
                to_wan(amount),
                span=2 if column == 7 else 1,
                align=RIGHT,
                number_format=MONEY_FORMAT,
            )
        rate = "—" if budget.execution_rate is None else budget.execution_rate / 100
        put_cell(sheet, row, 9, rate, align=RIGHT, number_format=PERCENT_FORMAT)
    row += 1
    header = row
    put_cell(sheet, row, 1, _("专项资金"), span=4, font=BOLD)
    put_cell(sheet, row, 5, _("自评得分"), span=3, font=BOLD)
    put_cell(sheet, row, 8, _("评价等级"), span=2, font=BOLD)
    for program in table.programs:
        row += 1
        put_cell(sheet, row, 1, program.project, span=4, align=LEFT)
        put_cell(sheet, row, 5, program.total, span=3, align=RIGHT, number_format=SCORE_FORMAT)
        put_cell(sheet, row, 8, program.grade, span=2)
    write_cell(sheet.cell(row=row + 1, column=1), WAN_ROUNDING_NOTE).font = BODY
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    print_setup(sheet, title_rows=f"{header}:{header}")
    for program in table.programs:
        write_self_evaluation(workbook.create_sheet(program.project[:28]), program)
    return workbook_bytes(workbook)


# The monitoring table's grid: the same nine columns, widths shared out for its longer figures (130 in all).
MONITORING_WIDTHS = (9, 11, 14, 22, 14, 14, 14, 14, 18)


def _monitoring_width(first: int, span: int) -> int:
    return sum(MONITORING_WIDTHS[first - 1 : first - 1 + span])


def monitoring_workbook(document: MonitoringDocument) -> bytes:
    """项目支出绩效目标执行监控表: funds against time elapsed, each organisation, each indicator's year-end outlook,
    then the warnings with their 偏差原因 and 纠偏措施; the projection methods printed below."""
    monitoring = document.monitoring
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("监控表")
    put_title(
        sheet,
        _("项目支出绩效目标执行监控表"),
        _("（{year}年度，截至{day}）").format(year=document.year, day=document.report.as_of.isoformat()),
    )
    row = 3
    put_cell(sheet, row, 1, _("项目名称"), font=BOLD)
    put_cell(sheet, row, 2, document.project, span=8, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("主管部门"), font=BOLD)
    put_cell(sheet, row, 2, document.department, span=3, align=LEFT)
    put_cell(sheet, row, 5, _("实施单位"), span=2, font=BOLD)
    put_cell(sheet, row, 7, document.implementer, span=3, align=LEFT)
    row += 1
    put_cell(sheet, row, 1, _("监控日期"), font=BOLD)
    put_cell(sheet, row, 2, document.report.as_of, span=3, align=LEFT, number_format="yyyy-mm-dd")
    put_cell(sheet, row, 5, _("时间进度"), span=2, font=BOLD)
    put_cell(sheet, row, 7, monitoring.elapsed / 100, span=3, align=RIGHT, number_format=PERCENT_FORMAT)
    row += 1
    put_cell(sheet, row, 1, _("项目资金（万元）"), rows=2 + len(document.funds), font=BOLD)
    put_cell(sheet, row, 2, "", span=2)
    headers = [_("年初预算数"), _("全年预算数"), _("{months}执行数").format(months=document.through_month)]
    headers += [_("执行进度"), _("全年预计执行数"), _("落后时间进度（百分点）")]
    for column, label in enumerate(headers, start=4):
        put_cell(sheet, row, column, label, font=BOLD)
    for index, line in enumerate([document.total_funds, *document.funds]):
        row += 1
        label = (_("其中：") if index == 1 else "") + line.label
        put_cell(sheet, row, 2, label, span=2, align=LEFT)
        for column, amount in ((4, line.initial), (5, line.annual), (6, line.executed), (8, line.projected)):
            put_cell(sheet, row, column, to_wan(amount), align=RIGHT, number_format=MONEY_FORMAT)
        rate = "—" if line.rate is None else line.rate / 100
        put_cell(sheet, row, 7, rate, align=RIGHT, number_format=PERCENT_FORMAT)
        lag = monitoring.execution.lag if index == 0 and monitoring.execution.lag is not None else "—"
        put_cell(sheet, row, 9, lag, align=RIGHT, number_format=SCORE_FORMAT)
    row += 1
    put_cell(sheet, row, 1, _("各单位执行进度"), span=4, font=BOLD)
    for column, label in enumerate(
        [_("分配数（万元）"), _("执行数（万元）"), _("执行进度"), _("落后时间进度（百分点）"), _("状态")], start=5
    ):
        put_cell(sheet, row, column, label, font=BOLD)
    for line in monitoring.by_organization:
        row += 1
        put_cell(sheet, row, 1, line.label, span=4, align=LEFT)
        put_cell(
            sheet, row, 5, "—" if line.budget is None else to_wan(line.budget), align=RIGHT, number_format=MONEY_FORMAT
        )
        put_cell(sheet, row, 6, to_wan(line.executed), align=RIGHT, number_format=MONEY_FORMAT)
        put_cell(
            sheet, row, 7, "—" if line.rate is None else line.rate / 100, align=RIGHT, number_format=PERCENT_FORMAT
        )
        put_cell(sheet, row, 8, "—" if line.lag is None else line.lag, align=RIGHT, number_format=SCORE_FORMAT)
        put_cell(sheet, row, 9, _("落后") if line in document.lagging else "")
    row += 1
    header = row
    labels = [_("绩效指标"), _("一级指标"), _("二级指标"), _("三级指标"), _("年度指标值")]
    labels += [_("{months}执行情况").format(months=document.through_month), _("全年预计完成情况")]
    labels += [_("预计能否完成"), _("偏差原因分析及纠偏措施")]
    for column, label in enumerate(labels, start=1):
        put_cell(sheet, row, column, label, font=BOLD)
    lines = document.indicator_rows
    if lines:
        sheet.merge_cells(start_row=header, start_column=1, end_row=header + len(lines), end_column=1)
    for line, level1_span, level2_span in lines:
        row += 1
        if level1_span:
            put_cell(sheet, row, 2, line.level1, rows=level1_span)
        if level2_span:
            put_cell(sheet, row, 3, line.level2, rows=level2_span)
        put_cell(sheet, row, 4, line.name, align=LEFT)
        put_cell(sheet, row, 5, line.target)
        put_cell(sheet, row, 6, line.so_far)
        put_cell(sheet, row, 7, line.projected)
        put_cell(sheet, row, 8, line.outlook, font=BOLD if line.flagged else BODY)
        put_cell(sheet, row, 9, line.reason, align=LEFT)
        sheet.cell(row=row, column=1).border = BOX
        fit_height(sheet, row, [(line.name, MONITORING_WIDTHS[3]), (line.reason, MONITORING_WIDTHS[8])])
    row += 1
    put_cell(sheet, row, 1, _("预警及纠偏措施"), span=4, font=BOLD)
    put_cell(sheet, row, 5, _("偏差原因"), span=2, font=BOLD)
    put_cell(sheet, row, 7, _("纠偏措施"), span=3, font=BOLD)
    for warning, explanation in document.warnings or [(None, None)]:
        row += 1
        message = warning.message if warning else _("无预警")
        reason = explanation.reason if explanation else ""
        action = explanation.corrective_action if explanation else ""
        put_cell(sheet, row, 1, message, span=4, align=LEFT)
        put_cell(sheet, row, 5, reason, span=2, align=LEFT)
        put_cell(sheet, row, 7, action, span=3, align=LEFT)
        fit_height(
            sheet,
            row,
            [(message, _monitoring_width(1, 4)), (reason, _monitoring_width(5, 2)), (action, _monitoring_width(7, 3))],
        )
    for note in [*document.method_notes, WAN_ROUNDING_NOTE]:
        row += 1
        write_cell(sheet.cell(row=row, column=1), note).font = BODY
    for index, width in enumerate(MONITORING_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    print_setup(sheet, title_rows=f"{header}:{header}")
    return workbook_bytes(workbook)
