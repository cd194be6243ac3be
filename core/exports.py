"""Output shared by every download: formula neutralising, the personal-data notice, the official language, the
download response with its file name."""

import functools
import io
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill

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
