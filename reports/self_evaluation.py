"""项目支出绩效自评表 as a spreadsheet, from `evaluation.selectors.evaluate` — the same figures as the dashboard."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from evaluation.indicators import IndicatorContext
from evaluation.selectors import Evaluation
from evaluation.templatetags.indicators import actual_display
from funds.choices import FundingSource
from funds.exports import HEADER_FILL, safe_cell, workbook_bytes
from funds.models import AppropriationLine, Organization
from funds.money import WAN_ROUNDING_NOTE, ZERO, to_wan
from reports.pdf import render_pdf

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")


def source_label(source: FundingSource) -> str:
    # Some provinces print 本年财政拨款 where others print 当年财政拨款.
    if source == FundingSource.CURRENT_FISCAL:
        return getattr(settings, "CURRENT_FISCAL_LABEL", "") or str(source.label)
    return str(source.label)


def funds_by_source(evaluation: Evaluation) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    lines = {
        line["source"]: line
        for line in AppropriationLine.objects.filter(
            appropriation__program=evaluation.program, appropriation__fiscal_year=evaluation.fiscal_year
        ).values("source", "initial_budget", "annual_budget")
    }
    ctx = IndicatorContext(program=evaluation.program, fiscal_year=evaluation.fiscal_year)
    executed = dict(ctx.payments.values("funding_source").annotate(t=Sum("amount")).values_list("funding_source", "t"))
    return [
        (
            source_label(source),
            lines.get(source, {}).get("initial_budget") or ZERO,
            lines.get(source, {}).get("annual_budget") or ZERO,
            executed.get(source) or ZERO,
        )
        for source in FundingSource
    ]


def self_evaluation_rows(evaluation: Evaluation) -> list[list]:
    """The table as rows of cells (also the basis of the PDF table)."""
    program, year = evaluation.program, evaluation.fiscal_year
    federation = Organization.objects.filter(parent__isnull=True).first()
    by_source = funds_by_source(evaluation)
    initial_total = sum((row[1] for row in by_source), ZERO)
    rows = [
        [_("项目支出绩效自评表")],
        [_("（{year}年度）").format(year=year.year)],
        [
            _("项目名称"),
            program.name,
            "",
            _("主管部门"),
            federation.name if federation else "",
            "",
            _("实施单位"),
            program.managing_department,
        ],
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
        [
            _("年度资金总额"),
            "",
            to_wan(initial_total),
            to_wan(evaluation.budget),
            to_wan(evaluation.executed),
            Decimal(10),
            "—" if evaluation.execution_rate is None else f"{evaluation.execution_rate:.2f}%",
            evaluation.execution_score,
        ],
    ]
    for label, initial, annual, executed in by_source:
        rows.append(
            [
                _("其中：") + label if label == by_source[0][0] else label,
                "",
                to_wan(initial),
                to_wan(annual),
                to_wan(executed),
                "",
                "",
                "",
            ]
        )
    rows.append(
        [
            _("一级指标"),
            _("二级指标"),
            _("三级指标"),
            _("年度指标值"),
            _("实际完成值"),
            _("分值"),
            _("得分"),
            _("偏差原因分析及改进措施"),
        ]
    )
    for row in evaluation.rows:
        indicator = row.indicator
        rows.append(
            [
                indicator.get_level1_display(),
                indicator.get_level2_display(),
                indicator.name,
                indicator.target_display(),
                actual_display(row),
                indicator.weight,
                "—" if row.score is None else row.score,
                indicator.deviation_reason,
            ]
        )
    rows.append(
        [
            _("总分"),
            "",
            "",
            "",
            "",
            Decimal(100),
            evaluation.total,
            _("评价等级：{grade}").format(grade=evaluation.grade),
        ]
    )
    rows.append([WAN_ROUNDING_NOTE])
    return rows


def self_evaluation_workbook(evaluation: Evaluation) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("自评表")
    rows = self_evaluation_rows(evaluation)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = sheet["A2"].alignment = Alignment(horizontal="center")
    header_row = next(i for i, row in enumerate(rows, start=1) if row[0] == _("一级指标"))
    for row in sheet.iter_rows(min_row=3, max_row=len(rows) - 1, max_col=8):
        for cell in row:
            cell.border = BOX
            cell.alignment = WRAP
            if isinstance(cell.value, Decimal | int | float):
                cell.number_format = "#,##0.00"
    for cell in list(sheet[4]) + list(sheet[header_row]):
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for letter, width in zip("ABCDEFGH", (14, 16, 24, 16, 18, 8, 10, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


def self_evaluation_pdf(evaluation: Evaluation) -> bytes:
    """The same rows as the workbook, laid out as an official document (reports/pdf.py)."""
    rows = self_evaluation_rows(evaluation)
    header_at = next(i for i, row in enumerate(rows) if row[0] == _("一级指标"))

    def text(value) -> str:
        return f"{value:,.2f}" if isinstance(value, Decimal) else str(value)

    def weighted(row: list) -> list:
        # 分值 prints as a whole number (10, 15, 100), as on the provinces' forms; everything else as text().
        return [
            f"{cell.normalize():f}" if i == 5 and isinstance(cell, Decimal) else text(cell)
            for i, cell in enumerate(row)
        ]

    return render_pdf(
        "reports/self_evaluation_pdf.html",
        {
            "title": rows[0][0],
            "subtitle": rows[1][0],
            "head": rows[2],
            "funds": [[text(cell) for cell in row] for row in rows[3:header_at]],
            "indicator_header": rows[header_at],
            "indicators": [weighted(row) for row in rows[header_at + 1 : -2]],
            "total": weighted(rows[-2]),
            "note": rows[-1][0],
        },
    )
