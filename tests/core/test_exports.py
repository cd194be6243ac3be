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
    assert safe_cell(value) == "'" + value
    workbook = Workbook()
    workbook.active.append([safe_cell(value.replace("\x00", ""))])  # openpyxl itself refuses NUL in a cell
    cell = load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"]
    assert cell.data_type == "s" and cell.value.startswith("'")


@pytest.mark.parametrize("value", ["张三", "6501", 12.5, None, "a=b", "1-2"])
def test_ordinary_values_are_left_alone(value):
    assert safe_cell(value) == value
