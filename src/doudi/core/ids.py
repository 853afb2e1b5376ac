"""Resident identity numbers (居民身份证号码, GB 11643-1999).

Validation is python-stdnum's ``cn.ric`` (check digit, birth date, area code valid in the birth year); this module
turns every failure into one clear, Chinese-first message and never lets a traceback or the number itself escape
into a log.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric

from doudi.core.errors import DomainError

_SHAPE = re.compile(r"^\d{17}[\dX]$")
_SHAPE_IN_TEXT = re.compile(r"(?<!\d)(\d{6})\d{11}([\dXx])(?![\dXx])")
_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8})(\d{3})([\dXx])(?![\dA-Za-z])")


class InvalidResidentId(DomainError):
    code = "invalid_resident_id"


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: dt.date
    sex: str  # "M" / "F"
    area_code: str


def normalize(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse_resident_id(raw: str) -> ResidentId:
    """Validate and decode an 18-digit resident ID, raising InvalidResidentId with a caseworker-readable message."""
    number = normalize(raw)
    if not number:
        raise InvalidResidentId(_("身份证号码不能为空"))
    if not _SHAPE.match(number):
        raise InvalidResidentId(_("身份证号码应为18位：前17位是数字，最后一位是数字或X"))
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidResidentId(_("身份证号码中的出生日期不存在（第7–14位）")) from None
    if birth > timezone.localdate() or birth.year < 1880:
        raise InvalidResidentId(_("身份证号码中的出生日期超出合理范围（第7–14位）"))
    if ric.calc_check_digit(number) != number[17]:
        raise InvalidResidentId(_("身份证号码校验位错误（最后一位），请核对后重新输入"))
    try:
        ric.validate(number)
    except stdnum_exceptions.InvalidComponent:
        raise InvalidResidentId(_("身份证号码前6位的地区代码在出生年份不存在")) from None
    except (stdnum_exceptions.ValidationError, KeyError, ValueError):
        # stdnum has raised KeyError on a few area codes; any other failure is still just "invalid".
        raise InvalidResidentId(_("身份证号码无效，请核对后重新输入")) from None
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return ResidentId(number=number, birth_date=birth, sex=sex, area_code=number[:6])


def is_valid_resident_id(raw: str) -> bool:
    try:
        parse_resident_id(raw)
    except InvalidResidentId:
        return False
    return True


def mask_resident_id(number: str) -> str:
    """110101********123X style: area code and last four only (for lists a caseworker must still tell apart)."""
    number = normalize(number)
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[14:]


def mask_account(number: str) -> str:
    """Bank account numbers: last four only (how a payee checks the account without it being readable)."""
    number = str(number or "")
    return "*" * max(len(number) - 4, 0) + number[-4:]


def _looks_like_id(number: str) -> bool:
    """An 18-character run with a plausible birth date and a correct check digit (so a household number or an
    account number of the same length is left alone, except by a 1-in-11 coincidence on top of a valid date)."""
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1880 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return ric.calc_check_digit(number.upper()) == number[17].upper()


def mask_ids_in_text(text: str) -> str:
    def repl(m: re.Match) -> str:
        number = m.group(0)
        return m.group(1) + "*" * 11 + m.group(4) if _looks_like_id(number) else number

    return _IN_TEXT.sub(repl, text)


def mask_id_shapes(text: str) -> str:
    """Logs: every 18-character run of digits (the last may be X) masked, valid or not: a mistyped ID is still a
    person's number, and a log loses nothing it needs by it."""
    return _SHAPE_IN_TEXT.sub(lambda m: m.group(1) + "*" * 11 + m.group(2), text)


def echo_id(text: str) -> str:
    """A resident-ID cell quoted back in a loader's error (it may be mistyped, so it is masked valid or not): the
    area code and the last four of an 18-character one, the ends of anything longer than six characters."""
    number = normalize(text)
    if len(number) == 18:
        return mask_resident_id(number)
    return number if len(number) <= 6 else number[:3] + "*" * (len(number) - 5) + number[-2:]


def echo(text: object) -> str:
    """Any text a loader quotes back (a value, a whole row message): ID-shaped runs masked."""
    return mask_id_shapes(str(text))
