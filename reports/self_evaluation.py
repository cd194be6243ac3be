"""项目支出绩效自评表 / 部门整体支出绩效目标自评表: one structure, drawn as .xlsx and as the PDF's table.

Both come from `evaluation.selectors.evaluate` — the same figures as the dashboard — so the table, the report text
and the dashboard cannot disagree.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from core.exports import HEADER_FILL, safe_cell, workbook_bytes
from core.money import WAN_ROUNDING_NOTE, ZERO, to_wan
from evaluation.selectors import Evaluation
from evaluation.templatetags.indicators import actual_display
from reports.figures import BudgetRow, FundsBySource, federation, funds_by_source

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
COLUMNS = 8


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal
    score: Decimal | None
    reason: str


@dataclass(frozen=True)
class IndicatorRow:
    """One line of the indicator part with its merged cells: `level1_span` / `level2_span` is the number of rows
    the 一级 / 二级 cell covers on the first row of its run, 0 on the rows it covers."""

    line: IndicatorLine
    level1_span: int
    level2_span: int


def _runs(keys: list) -> list[int]:
    spans = [0] * len(keys)
    start = 0
    for index in range(1, len(keys) + 1):
        if index == len(keys) or keys[index] != keys[start]:
            spans[start] = index - start
            start = index
    return spans


@dataclass
class SelfEvaluationTable:
    """The 项目支出绩效自评表 of one program-year. Amounts in yuan; drawn in 万元."""

    year: int
    project: str
    department: str
    implementer: str
    funds: list[FundsBySource]
    annual_budget: Decimal
    executed: Decimal
    execution_rate: Decimal | None
    execution_score: Decimal
    goal: str
    outcome: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    total: Decimal = ZERO
    grade: str = ""

    @property
    def initial_budget(self) -> Decimal:
        return sum((row.initial for row in self.funds), ZERO)

    @property
    def funds_rowspan(self) -> int:
        """The 项目资金 label covers its header row, the 年度资金总额 row and one row per source."""
        return 2 + len(self.funds)

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        """Lines in order, 一级 merged over consecutive equal values, 二级 within its 一级."""
        level1 = _runs([line.level1 for line in self.indicators])
        level2 = _runs([(line.level1, line.level2) for line in self.indicators])
        return [IndicatorRow(line, a, b) for line, a, b in zip(self.indicators, level1, level2, strict=True)]

    @property
    def execution_rate_text(self) -> str:
        return "—" if self.execution_rate is None else f"{self.execution_rate:.2f}%"


def self_evaluation_table(evaluation: Evaluation, *, goal: str = "", outcome: str = "") -> SelfEvaluationTable:
    head = federation()
    return SelfEvaluationTable(
        year=evaluation.fiscal_year.year,
        project=evaluation.program.name,
        department=head.name if head else "",
        implementer=evaluation.program.managing_department,
        funds=funds_by_source(evaluation.program, evaluation.fiscal_year, evaluation.context),
        annual_budget=evaluation.budget,
        executed=evaluation.executed,
        execution_rate=evaluation.execution_rate,
        execution_score=evaluation.execution_score,
        goal=goal,
        outcome=outcome,
        indicators=[
            IndicatorLine(
                level1=row.indicator.get_level1_display(),
                level2=row.indicator.get_level2_display(),
                name=row.indicator.name,
                target=row.indicator.target_display(),
                actual=actual_display(row),
                weight=row.indicator.weight,
                score=row.score,
                reason=row.indicator.deviation_reason,
            )
            for row in evaluation.rows
        ],
        total=evaluation.total,
        grade=str(evaluation.grade),
    )


def indicator_header() -> list[str]:
    return [
        _("一级指标"),
        _("二级指标"),
        _("三级指标"),
        _("年度指标值"),
        _("实际完成值"),
        _("分值"),
        _("得分"),
        _("偏差原因分析及改进措施"),
    ]


def _box(sheet: Worksheet, first_row: int, last_row: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=COLUMNS):
        for cell in row:
            cell.border = BOX
            cell.alignment = WRAP
            if isinstance(cell.value, Decimal | int | float):
                cell.number_format = "#,##0.00"


def _bold(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row][:COLUMNS]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL


def _title(sheet: Worksheet, title: str, subtitle: str) -> None:
    sheet.append([title])
    sheet.append([subtitle])
    for row in (1, 2):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COLUMNS)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = sheet["A2"].alignment = Alignment(horizontal="center")


def _append(sheet: Worksheet, values: list) -> int:
    sheet.append([safe_cell(value) for value in values])
    return sheet.max_row


def write_self_evaluation(sheet: Worksheet, table: SelfEvaluationTable) -> None:
    _title(sheet, _("项目支出绩效自评表"), _("（{year}年度）").format(year=table.year))
    first = _append(
        sheet,
        [_("项目名称"), table.project, "", _("主管部门"), table.department, "", _("实施单位"), table.implementer],
    )
    header = _append(
        sheet,
        [
            _("项目资金（万元）"),
            "",
            _("年初预算数"),
            _("全年预算数"),
            _("全年执行数"),
            _("分值"),
            _("执行率"),
            _("得分"),
        ],
    )
    _bold(sheet, header)
    _append(
        sheet,
        [
            _("年度资金总额"),
            "",
            to_wan(table.initial_budget),
            to_wan(table.annual_budget),
            to_wan(table.executed),
            Decimal(10),
            table.execution_rate_text,
            table.execution_score,
        ],
    )
    for index, row in enumerate(table.funds):
        label = _("其中：") + row.label if index == 0 else row.label
        _append(sheet, [label, "", to_wan(row.initial), to_wan(row.annual), to_wan(row.executed), "", "", ""])
    goal_row = _append(sheet, [_("年度总体目标"), _("预期目标"), "", "", _("实际完成情况"), "", "", ""])
    _bold(sheet, goal_row)
    text_row = _append(sheet, ["", table.goal, "", "", table.outcome, "", "", ""])
    sheet.merge_cells(start_row=goal_row, start_column=1, end_row=text_row, end_column=1)
    for row in (goal_row, text_row):
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        sheet.merge_cells(start_row=row, start_column=5, end_row=row, end_column=COLUMNS)
    sheet.row_dimensions[text_row].height = 90
    _bold(sheet, _append(sheet, indicator_header()))
    for line in table.indicators:
        _append(
            sheet,
            [
                line.level1,
                line.level2,
                line.name,
                line.target,
                line.actual,
                line.weight,
                "—" if line.score is None else line.score,
                line.reason,
            ],
        )
    last = _append(
        sheet,
        [_("总分"), "", "", "", "", Decimal(100), table.total, _("评价等级：{grade}").format(grade=table.grade)],
    )
    _box(sheet, first, last)
    sheet.append([WAN_ROUNDING_NOTE])
    for letter, width in zip("ABCDEFGH", (14, 16, 24, 16, 18, 8, 10, 36), strict=True):
        sheet.column_dimensions[letter].width = width


def self_evaluation_workbook(table: SelfEvaluationTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("自评表")
    write_self_evaluation(sheet, table)
    return workbook_bytes(workbook)


@dataclass
class DepartmentTable:
    """部门整体支出绩效目标自评表: the department's budget lines, then each special fund's evaluation."""

    year: int
    department: str
    budget_rows: list[BudgetRow]
    programs: list[SelfEvaluationTable]

    @property
    def total(self) -> BudgetRow:
        return BudgetRow(
            _("合计"),
            sum((r.initial for r in self.budget_rows), ZERO),
            sum((r.annual for r in self.budget_rows), ZERO),
            sum((r.executed for r in self.budget_rows), ZERO),
        )


def department_workbook(table: DepartmentTable) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("部门整体自评表")
    _title(sheet, _("部门整体支出绩效目标自评表"), _("（{year}年度）").format(year=table.year))
    first = _append(sheet, [_("部门名称"), table.department, "", "", "", "", "", ""])
    header = _append(sheet, [_("支出项目"), "", "", _("年初预算数"), _("全年预算数"), _("全年执行数"), _("执行率"), ""])
    _bold(sheet, header)
    for row in [*table.budget_rows, table.total]:
        rate = row.execution_rate
        _append(
            sheet,
            [
                row.name,
                "",
                "",
                to_wan(row.initial),
                to_wan(row.annual),
                to_wan(row.executed),
                "—" if rate is None else f"{rate:.2f}%",
                "",
            ],
        )
    _bold(sheet, _append(sheet, [_("专项资金"), "", "", "", "", _("自评得分"), _("评价等级"), ""]))
    for program in table.programs:
        _append(sheet, [program.project, "", "", "", "", program.total, program.grade, ""])
    _box(sheet, first, sheet.max_row)
    sheet.append([WAN_ROUNDING_NOTE])
    for program in table.programs:
        write_self_evaluation(workbook.create_sheet(program.project[:28]), program)
    for letter, width in zip("ABCDEFGH", (30, 12, 12, 14, 14, 14, 12, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)
