"""Exported cells that a spreadsheet would run as formulas are neutralised, in a real .xlsx."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from core.exports import safe_cell, workbook_bytes


@pytest.mark.parametrize(
    "value",
    ["=1+2", "+1+2", "-1+2", "@SUM(A1)", "\t=cmd", "\r=cmd", "\x00=cmd", '=HYPERLINK("http://evil","x")'],
)
def test_each_dangerous_prefix_is_quoted_and_stays_text(value):
    # A NUL cannot be written into a workbook at all: it is shown escaped, after the quote.
    assert safe_cell(value) == "'" + value.replace("\x00", "\\x00")
    workbook = Workbook()
    workbook.active.append([safe_cell(value)])
    cell = load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("'")


@pytest.mark.parametrize("value", ["张三", "6501", 12.5, None, "a=b", "1-2"])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_control_characters_are_shown_escaped_so_any_value_can_be_written():
    assert safe_cell("正常\x07备注") == "正常\\x07备注"
    workbook = Workbook()
    workbook.active.append([safe_cell("a\x1bb")])
    assert load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"].value == "a\\x1bb"
