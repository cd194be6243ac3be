"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

Written here rather than taken from python-stdnum: `stdnum.cn.ric` accepts a lower-case x and future birth
dates, and rejects numbers whose county code was created after the holder's birth year — but a number keeps
the code of the place where it was first issued, so that would refuse many of our older model workers.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# GB/T 2260 province-level codes, plus 81–83 used for Hong Kong, Macao and Taiwan residence permits.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43"}
    | {"44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83"}
)


def normalize(value: str) -> str:
    """Strip surrounding blanks (also full-width ones Excel users paste) and upper-case the check character."""
    return (value or "").strip().replace("\u3000", "").upper()


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def birth_date(number: str) -> datetime.date:
    return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate(value: str, *, today: datetime.date | None = None) -> str:
    """Return the normalised number, or raise ValidationError with a message a clerk can act on."""
    number = normalize(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位，实际为{length}位。").format(length=len(number)), code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码前17位必须是数字，最后一位是数字或X。"), code="id_characters")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号码前两位“{code}”不是有效的省级行政区划代码。").format(code=number[:2]), code="id_province"
        )
    try:
        born = birth_date(number)
    except ValueError:
        raise ValidationError(
            _("身份证号码中的出生日期“{date}”不是有效日期。").format(date=number[6:14]), code="id_birth_date"
        ) from None
    if born > (today or timezone.localdate()):
        raise ValidationError(
            _("身份证号码中的出生日期 {date} 晚于今天。").format(date=born.isoformat()), code="id_birth_future"
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号码校验位错误：最后一位应为“{expected}”，实际为“{actual}”。").format(
                expected=expected, actual=number[17]
            ),
            code="id_check_digit",
        )
    return number


def validate_resident_id(value: str) -> None:
    """Django field validator form of `validate`."""
    validate(value)


def mask(number: str | None) -> str:
    """Show the province/prefecture and the last four characters only: 6501********1234."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"
