"""Turn one spreadsheet cell into a typed value, or say in plain Chinese why it cannot be.

Cells arrive as python-calamine gives them (str, int, float, bool, date, datetime) or as CSV text.
Every parser raises `CellError(message)`; the caller adds the row number and column header.
"""

import datetime
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from beneficiaries import resident_id
from core.money import quantize
from imports.limits import limit

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# In a one-line value (a name, a number, an archive no.) line breaks, tabs, the Unicode line separators and the bidi
# controls are refused too: a right-to-left override (U+202E) makes a name display other than it reads in a log or
# an export, and a line break forges a line. A 备注 may keep its line breaks.
ONE_LINE = re.compile(r"[\t\r\n\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
LINE_BREAKS_ONLY = re.compile(r"[\t\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
AMOUNT = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


class CellError(ValueError):
    pass


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def text(value: Any, *, required: bool = True, max_chars: int | None = None, multiline: bool = False) -> str:
    """A text cell, trimmed; `multiline` (备注 and the like) lets line breaks through, nothing else invisible."""
    if is_blank(value):
        if required:
            raise CellError(_("不能为空。"))
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip().replace("\u3000", " ")
    # Controls, line breaks and direction marks are all unprintable: a printable cell (most of them) needs neither
    # search, one C-level test instead.
    if not result.isprintable():
        if CONTROL.search(result):
            raise CellError(_("含有不可见的控制字符，请删除后重新录入。"))
        invisible = (LINE_BREAKS_ONLY if multiline else ONE_LINE).search(result)
        if invisible:
            raise CellError(
                _("含有换行、制表符或改变文字方向的不可见字符（U+{code:04X}），请删除后重新录入。").format(
                    code=ord(invisible.group())
                )
            )
    cap = max_chars or limit("IMPORT_MAX_CELL_CHARS", 500)
    if len(result) > cap:
        raise CellError(_("内容过长（{length} 个字符，最多 {cap} 个）。").format(length=len(result), cap=cap))
    return result


def numeric_text(value: Any) -> str:
    """The text of a number or code as typed: full-width digits, letters and blanks folded (NFKC), ends stripped."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def amount(value: Any, *, allow_zero: bool = False) -> Decimal:
    """Positive yuan with at most two decimals — ￥1,000.00, 1000元, 1，000 and full-width digits included.

    Excel stores a computed 1,000.00 as the float 999.9999999999999: a float within 1e-6 of a whole cent is that
    cent; further from one it has more than two decimals and is refused.
    """
    if is_blank(value):
        raise CellError(_("不能为空。"))
    if isinstance(value, bool):
        raise CellError(_("应为金额数字。"))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError(_("“{value}”不是有效金额。").format(value=value))
        cents = round(value * 100)
        if abs(value * 100 - cents) > 1e-4:  # 1e-6 yuan
            raise CellError(_("金额最多保留两位小数（“{value}”）。").format(value=repr(value)))
        value = Decimal(cents) / 100
    raw = numeric_text(value).replace(",", "").replace(" ", "")
    raw = raw.removeprefix("￥").removeprefix("¥").removeprefix("RMB").removesuffix("元").strip()
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not AMOUNT.match(raw):
        if re.match(r"^\d+\.\d{3,}$", raw):
            raise CellError(_("金额最多保留两位小数（“{value}”）。").format(value=value))
        raise CellError(_("“{value}”不是有效金额，应为如 1000 或 1000.50 的数字。").format(value=value))
    try:
        result = Decimal(raw)
    except InvalidOperation:
        raise CellError(_("“{value}”不是有效金额。").format(value=value)) from None
    if result < 0 or (result == 0 and not allow_zero):
        raise CellError(_("金额必须大于 0。"))
    return quantize(result)


def date(value: Any) -> datetime.date:
    if is_blank(value):
        raise CellError(_("不能为空。"))
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format arrives as Excel's serial day number.
        if 20000 <= value <= 80000:
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(_("“{value}”不是日期，应为如 2024-11-28 的日期。").format(value=value))
    raw = numeric_text(value)
    # “2025-11-28 00:00:00” (a date-time cell saved as text): the time of day is no part of a payment date.
    day = re.sub(r"[ T]00:00(:00(\.0+)?)?$", "", raw).replace(" ", "")
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(day, fmt).date()
        except ValueError:
            continue
    raise CellError(_("“{value}”不是有效日期，应为如 2024-11-28 的日期。").format(value=raw))


def optional_date(value: Any) -> datetime.date | None:
    return None if is_blank(value) else date(value)


def year(value: Any) -> int:
    raw = numeric_text(text(value))
    if not re.fullmatch(r"(19|20)\d\d", raw):
        raise CellError(_("“{value}”不是有效年份，应为如 2024 的四位年份。").format(value=raw))
    return int(raw)


def positive_int(value: Any, *, maximum: int) -> int:
    raw = numeric_text(text(value))
    if not re.fullmatch(r"\d{1,4}", raw) or not 1 <= int(raw) <= maximum:
        raise CellError(_("应为 1 到 {maximum} 之间的整数。").format(maximum=maximum))
    return int(raw)


def resident_id_number(value: Any, *, today: datetime.date | None = None) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(_("身份证号被 Excel 存成了数字，后几位已丢失；请把该列设置为“文本”后重新录入。"))
    raw = "".join(numeric_text(text(value)).split())  # full-width digits, a lower-case x, inner blanks
    try:
        return resident_id.validate(raw, today=today)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def bank_account(value: Any, *, required: bool = False) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(_("银行账号被 Excel 存成了数字（如 6.22E+18），已丢失精度；请把该列设置为“文本”后重新录入。"))
    raw = "".join(numeric_text(text(value, required=required)).split())
    if raw and not re.fullmatch(r"\d{8,30}", raw):
        raise CellError(_("银行账号应为 8 到 30 位数字。"))
    return raw


def choice(
    value: Any,
    options: dict[str, Any],
    *,
    aliases: dict[str, Any] | None = None,
    required: bool = True,
    default: Any = None,
) -> Any:
    """`options` maps the Chinese label a clerk types to the stored value; `aliases` are other words in real use for
    the same values (accepted, but the message names only the options)."""
    raw = text(value, required=required)
    if not raw:
        return default
    if raw in options:
        return options[raw]
    if aliases and raw in aliases:
        return aliases[raw]
    raise CellError(_("“{value}”不是允许的值，应为：{allowed}。").format(value=raw, allowed="、".join(options)))


def yes_no(value: Any) -> bool:
    return choice(value, {"是": True, "否": False, "Y": True, "N": False}, required=False, default=False)
