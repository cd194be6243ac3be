"""Exported text is text: a value a spreadsheet would run as a formula stays text, in a real .xlsx, with no
visible apostrophe; the shared list export carries its formats, frozen header, totals and print setup."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.exports import ExportColumn, append_row, cell_text, formatted_workbook, workbook_bytes


def written(value):
    workbook = Workbook()
    append_row(workbook.active, [value])
    return load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"]


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=cmd", '=HYPERLINK("http://evil","x")'],
)
def test_each_dangerous_prefix_stays_text_without_a_visible_quote(value):
    cell = written(value)
    assert cell.data_type == "s"
    assert cell.value == value  # nothing added: the text reads as it was written
    assert cell.quotePrefix  # Excel's own "this is text" flag, kept when the cell is edited


def test_a_target_written_as_equals_100_percent_reads_as_written():
    cell = written("=100%")
    assert (cell.value, cell.data_type) == ("=100%", "s")


@pytest.mark.parametrize("value", ["张三", "6501", "a=b", "1-2"])
def test_ordinary_text_carries_no_flag(value):
    cell = written(value)
    assert cell.value == value and not cell.quotePrefix


def test_control_characters_are_shown_escaped_so_any_value_can_be_written():
    assert cell_text("正常\x07备注") == "正常\\x07备注"
    assert written("a\x1bb").value == "a\\x1bb"
    assert written("\x00=cmd").value == "\\x00=cmd"


def test_the_list_export_formats_totals_and_prints_one_page_wide():
    content = formatted_workbook(
        title="发放明细",
        columns=[ExportColumn("姓名"), ExportColumn("金额（元）", "money"), ExportColumn("发放日期", "date")],
        rows=[["=张三", Decimal("1234.50"), datetime.date(2024, 6, 30)], ["李四", Decimal("0.50"), None]],
        totals={1: Decimal("1235.00")},
        personal_data=True,
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert "个人信息" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == ["姓名", "金额（元）", "发放日期"]
    assert sheet["A3"].value == "=张三" and sheet["A3"].data_type == "s"
    assert sheet["B3"].number_format == "#,##0.00" and sheet["C3"].number_format == "yyyy-mm-dd"
    assert [c.value for c in sheet[5]][:2] == ["合计", 1235]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:C4"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # else Excel and LibreOffice ignore fitToWidth
    assert sheet.column_dimensions["A"].width >= 8
