"""Output shared by every download: formula neutralising, the personal-data notice, the official language, the
download response with its file name."""

import datetime
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# Official documents (reports, 自评表, evidence, error reports, templates) are Chinese whatever the interface language:
# `@official` on whatever builds or renders them, or `with official_language():`.
OFFICIAL_LANGUAGE = "zh-hans"


def official_language() -> translation.override:
    return translation.override(OFFICIAL_LANGUAGE)


def official[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the official language active (a fresh override per call: safe across threads)."""

    @functools.wraps(function)
    def in_official_language(*args: P.args, **kwargs: P.kwargs) -> R:
        with official_language():
            return function(*args, **kwargs)

    return in_official_language


DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")
PERSONAL_DATA_NOTICE = "本文件含有个人信息（身份证号、银行账号等），仅限工作使用，不得外传。"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F0F1F3")
ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, NUL …) is prefixed with a quote; control
    characters a workbook cannot hold are shown escaped (\\x07), as in the audit log."""
    if not isinstance(value, str):
        return value
    if value.startswith(DANGEROUS_PREFIXES):
        value = "'" + value
    return ILLEGAL_CHARACTERS_RE.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(
    content: bytes, filename: str, content_type: str = XLSX_CONTENT_TYPE, *, fallback: str = ""
) -> HttpResponse:
    """A download response named `filename` (Chinese, RFC 5987 `filename*`), with the ASCII `fallback` as `filename`
    for clients that read only that (derived from `filename` when not given)."""
    ascii_name = fallback or re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "download"
    ascii_name = ascii_name.replace('"', "")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return response


@dataclass(frozen=True)
class ExportColumn:
    """One column of a formatted list export. `kind`: "text", "money" (元, two places, summed in the 合计 row),
    "count" (a quantity, grouped: 1,614), "number" (a year or a number that names something: 2024, #51 — never
    grouped), "date", "datetime"."""

    header: str
    kind: str = "text"


MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
NUMBER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.00%"
THIN = Side(style="thin", color="B8BEC6")


def _display_width(value: Any) -> int:
    text = value if isinstance(value, str) else (f"{value:,.2f}" if isinstance(value, Decimal) else str(value or ""))
    # A CJK character is two columns wide in Excel and WPS.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(value: Any) -> Any:
    # Excel has no time zones: a moment is written as Beijing time, as the pages show it.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return safe_cell(value)


def formatted_workbook(
    *,
    title: str,
    columns: list[ExportColumn],
    rows: Iterable[list[Any]],
    totals: dict[int, Any] | None = None,
    personal_data: bool = False,
    note: str = "",
) -> bytes:
    """The one export of every list: a title row (and the personal-data notice where the list holds personal
    data), a styled header frozen under it with an autofilter, column widths from the content, number formats for
    money, counts and dates, and a 合计 row whose figures are given by the caller — sums from the database, not from
    the rows (`totals`: column index → value)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    heading = title + ("　" + PERSONAL_DATA_NOTICE if personal_data else "") + ("　" + note if note else "")
    sheet.append([safe_cell(heading)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([column.header for column in columns])
    header_row = 2
    for cell in sheet[header_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.border = Border(bottom=THIN)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    widths = [_display_width(column.header) for column in columns]
    count = 0
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
        count += 1
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _display_width(value))
    last = header_row + count
    for index, column in enumerate(columns, start=1):
        number_format = {
            "money": MONEY_FORMAT,
            "count": COUNT_FORMAT,
            "number": NUMBER_FORMAT,
            "date": DATE_FORMAT,
            "datetime": DATETIME_FORMAT,
            "percent": PERCENT_FORMAT,
        }.get(column.kind)
        if number_format and count:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, max_row=last, min_col=index, max_col=index):
                cell.number_format = number_format
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widths[index - 1] + 2, 8), 60)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(last, header_row)}"
    if totals:
        total_row = [""] * len(columns)
        total_row[0] = "合计"
        for index, value in totals.items():
            total_row[index] = value
        sheet.append(total_row)
        for index, cell in enumerate(sheet[sheet.max_row]):
            cell.font = Font(bold=True)
            cell.border = Border(top=THIN)
            kind = columns[index].kind
            if kind in ("money", "count"):
                cell.number_format = MONEY_FORMAT if kind == "money" else COUNT_FORMAT
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    return workbook_bytes(workbook)
