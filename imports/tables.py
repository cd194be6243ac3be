"""Find the table in a clerk's workbook: the sheet that has the headers, the header row, the data rows, totals.

Prefecture offices send what their spreadsheets look like: a title merged across the columns above the header,
blank rows, a 填写说明 sheet first, the data on the second sheet, a 合计 row at the bottom. The header is the row,
within the first ten, that names the most of the upload's columns; the sheet is the one visible sheet that has
such a row (two → the uploader names one; only a hidden one → refused: a hidden sheet is never read silently).
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from imports.columns import Column, known_headers, normalize_header
from imports.errors import FileRefused
from imports.limits import limit
from imports.workbooks import RawSheet, RawWorkbook

HEADER_SEARCH_ROWS = 10
# A row labelled 合计 / 小计 / 总计 (in one of its first cells) sums the rows above it: checked, never imported.
TOTAL_LABEL = re.compile(r"^(合计|小计|总计|总合计|共计)[:：]?.*$")


@dataclass
class Table:
    headers: list[str]
    # (spreadsheet row number, cells) of every data row, in order
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    header_row: int = 1
    sheet: str = ""
    # spreadsheet row number → 0-based columns holding a formula
    formulas: dict[int, set[int]] = field(default_factory=dict)
    # (row number, label, cells) of 合计 / 小计 rows
    totals: list[tuple[int, str, list[Any]]] = field(default_factory=list)


def present(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def total_label(cells: list[Any]) -> str | None:
    for value in cells[:3]:
        if isinstance(value, str) and present(value):
            match = TOTAL_LABEL.match(normalize_header(value))
            return match.group(1) if match else None
    return None


def _header_score(row: list[Any], known: dict[str, str]) -> int:
    keys = {known.get(normalize_header(value)) for value in row if isinstance(value, str) and present(value)}
    keys.discard(None)
    keys.discard("")  # the error report's own columns, known but not evidence of a header
    return len(keys)


def _best_header(sheet: RawSheet, known: dict[str, str]) -> tuple[int, int]:
    """(score, row index) of the row that looks most like the header."""
    best = (0, -1)
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(row, known)
        if score > best[0]:
            best = (score, index)
    return best


def _choose_sheet(workbook: RawWorkbook, columns: list[Column], sheet_name: str) -> tuple[RawSheet, int]:
    known = known_headers(columns)
    threshold = min(2, sum(1 for column in columns if column.required) or 1)
    if sheet_name:
        chosen = next((s for s in workbook.sheets if s.name.strip() == sheet_name.strip()), None)
        if chosen is None:
            raise FileRefused(
                _("文件中没有名为“{name}”的工作表；工作表有：{names}。").format(
                    name=sheet_name, names="、".join(s.name for s in workbook.sheets)
                )
            )
        score, index = _best_header(chosen, known)
        return chosen, index if score else _first_content_row(chosen)
    scored = [(sheet, *_best_header(sheet, known)) for sheet in workbook.sheets]
    visible = [(sheet, index) for sheet, score, index in scored if score >= threshold and not sheet.hidden]
    if len(visible) > 1:
        raise FileRefused(
            _(
                "文件中有 {n} 个工作表都含有表头：{names}。请在上传页的“工作表”一栏填写要导入的工作表名称，"
                "或删除多余的工作表后重新上传。"
            ).format(n=len(visible), names="、".join(f"“{sheet.name}”" for sheet, _i in visible))
        )
    if visible:
        return visible[0]
    hidden = [sheet for sheet, score, _index in scored if score >= threshold and sheet.hidden]
    if hidden:
        raise FileRefused(
            _("表头在隐藏的工作表“{name}”中，系统不读取隐藏的工作表。请在 Excel 中取消隐藏该工作表后重新上传。").format(
                name=hidden[0].name
            )
        )
    # No sheet names the upload's columns: take the first visible sheet with content, so every missing column is
    # named (a header that is almost right is told exactly what it lacks).
    for sheet in workbook.sheets:
        if not sheet.hidden and any(any(present(v) for v in row) for row in sheet.rows):
            return sheet, _first_content_row(sheet)
    raise FileRefused(_("文件没有任何内容。"))


def _first_content_row(sheet: RawSheet) -> int:
    return next((i for i, row in enumerate(sheet.rows) if any(present(v) for v in row)), 0)


def locate_table(workbook: RawWorkbook, columns: list[Column], *, sheet: str = "") -> Table:
    chosen, header_index = _choose_sheet(workbook, columns, sheet)
    if not chosen.rows or header_index >= len(chosen.rows):
        raise FileRefused(_("文件没有任何内容。"))
    header = chosen.rows[header_index]
    headers = [str(h).strip() if present(h) else "" for h in header]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    formulas: dict[int, set[int]] = {}
    for row_number, column in chosen.formulas:
        formulas.setdefault(row_number, set()).add(column)
    table = Table(headers=headers, header_row=header_index + 1, sheet=chosen.name, formulas=formulas)
    for index in range(header_index + 1, len(chosen.rows)):
        cells = list(chosen.rows[index][:width]) + [""] * (width - len(chosen.rows[index]))
        if not any(present(v) for v in cells):
            continue  # blank, or formatted but empty
        number = index + 1
        label = total_label(cells)
        if label is not None:
            table.totals.append((number, label, cells))
        else:
            table.rows.append((number, cells))
    max_rows = limit("IMPORT_MAX_ROWS", 200_000)
    if len(table.rows) > max_rows:
        raise FileRefused(
            _("文件有 {count} 行数据，超过单次上限 {limit} 行，请分批上传。").format(
                count=len(table.rows), limit=max_rows
            )
        )
    if not table.rows:
        raise FileRefused(_("文件只有表头，没有数据行。"))
    return table
