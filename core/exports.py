"""Spreadsheet output shared by every download: formula neutralising and the personal-data notice."""

import io
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\x00")
PERSONAL_DATA_NOTICE = "本文件含有个人信息（身份证号、银行账号等），仅限工作使用，不得外传。"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F0F1F3")
ERROR_FILL = PatternFill("solid", fgColor="FDE2E1")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, NUL …) is prefixed with a quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """A download response; the file name is sent RFC 5987-encoded so Chinese names survive."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
