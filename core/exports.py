"""Output shared by every download: formula neutralising, the personal-data notice, the official language, the
download response with its file name."""

import datetime
import functools
import io
import itertools
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
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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


def cell_text(value: Any) -> Any:
    """Control characters a workbook cannot hold are shown escaped (\\x07), as in the audit log."""
    if not isinstance(value, str):
        return value
    return ILLEGAL_CHARACTERS_RE.sub(lambda match: f"\\x{ord(match.group()):02x}", value)


def write_cell(cell: Any, value: Any) -> Any:
    """Put `value` in `cell`. Text is always stored as text, never as a formula: a target written "=100%" shows as
    =100% with no visible apostrophe. Text that a spreadsheet would run as a formula once edited (=, +, -, @, tab …)
    also carries Excel's own quote-prefix flag, so it stays text in Excel, WPS and LibreOffice even then."""
    value = cell_text(_local_moment(value))
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(DANGEROUS_PREFIXES):
            cell.quotePrefix = True
    return cell


def append_row(sheet: Any, values: Iterable[Any]) -> int:
    """Append `values` as a row written by `write_cell`; the row's number."""
    values = list(values)
    sheet.append([None] * len(values) if values else [None])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        write_cell(sheet.cell(row=row, column=column), value)
    return row


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


def _local_moment(value: Any) -> Any:
    # Excel has no time zones: a moment is written as Beijing time, as the pages show it.
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


# Column widths are measured on the first rows only: an export of a million payments streams the rest.
WIDTH_SAMPLE_ROWS = 1000
KIND_FORMATS = {
    "money": MONEY_FORMAT,
    "count": COUNT_FORMAT,
    "number": NUMBER_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "percent": PERCENT_FORMAT,
}


def display_width(value: Any) -> int:
    """How many Excel columns `value` takes: a CJK character is two columns wide in Excel and WPS."""
    text = value if isinstance(value, str) else (f"{value:,.2f}" if isinstance(value, Decimal) else str(value or ""))
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _styled(sheet: Any, value: Any, *, number_format: str | None = None, font: Font | None = None) -> WriteOnlyCell:
    cell = write_cell(WriteOnlyCell(sheet), value)
    if number_format and not isinstance(cell.value, str):
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def formatted_workbook(
    *,
    title: str,
    columns: list[ExportColumn],
    rows: Iterable[list[Any]],
    totals: dict[int, Any] | None = None,
    personal_data: bool = False,
    note: str = "",
) -> bytes:
    """The one export of every list, evidence and log: a title row (and the personal-data notice where the list
    holds personal data), a styled header frozen under it with an autofilter, column widths from the content,
    number formats for money, counts and dates, a 合计 row whose figures are given by the caller — sums from the
    database, not from the rows (`totals`: column index → value) — and print setup (A4 landscape, one page wide,
    the header repeated). Streamed (openpyxl write-only): memory stays flat however many rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_row = 2
    # Before the first row: a streamed sheet writes its properties (fit to page) and views (frozen panes) first.
    print_setup(sheet, title_rows=f"{header_row}:{header_row}")
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for index, column in enumerate(columns):
        width = max([display_width(column.header), *(display_width(row[index]) for row in sample)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = f"A{header_row + 1}"
    heading = title + ("　" + PERSONAL_DATA_NOTICE if personal_data else "") + ("　" + note if note else "")
    sheet.append([_styled(sheet, heading, font=Font(bold=True))])
    header = []
    for column in columns:
        cell = _styled(sheet, column.header, font=HEADER_FONT)
        cell.fill, cell.border = HEADER_FILL, Border(bottom=THIN)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    formats = [KIND_FORMATS.get(column.kind) for column in columns]
    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append([_styled(sheet, value, number_format=fmt) for value, fmt in zip(row, formats, strict=False)])
        count += 1
    last = header_row + count
    if totals:
        total_row = []
        for index, column in enumerate(columns):
            value = totals.get(index, "合计" if index == 0 else "")
            cell = _styled(sheet, value, number_format=formats[index] if column.kind in ("money", "count") else None)
            cell.font, cell.border = Font(bold=True), Border(top=THIN)
            total_row.append(cell)
        sheet.append(total_row)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(last, header_row)}"
    return workbook_bytes(workbook)


def print_setup(sheet: Any, *, title_rows: str, landscape: bool = True) -> None:
    """What Excel, WPS and LibreOffice print: A4, one page wide (as many pages down as needed), `title_rows`
    repeated on every page, no grid lines, centred, with margins an office printer can take."""
    sheet.print_options.gridLines = False
    sheet.print_options.horizontalCentered = True
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = title_rows
