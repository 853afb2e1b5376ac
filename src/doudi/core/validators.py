"""Input checks shared by every screen, the API and the imports: one definition of a sane date, count, ID, bank
account or resident ID, each failing with a clear Chinese message (``InvalidInput``) instead of a server error.

Django forms use them through ``core.forms``, ninja schemas through ``core.schemas``; the few views that still read
``request.POST`` by hand call ``parse_date`` / ``parse_int`` from here.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.errors import Code, DomainError
from doudi.core.ids import InvalidResidentId, parse_resident_id

# Dates: nothing the platform records happened before 1900; nothing is planned more than a year ahead (a standard
# announced for next year, an authorisation valid until next year). Event dates (a visit, a filing, a payment
# received) cannot be later than today.
EARLIEST_DATE = dt.date(1900, 1, 1)
FUTURE_DAYS = 366
# Primary keys are 64-bit (BigAutoField); a larger number cannot name a row and must not reach the database.
MAX_DB_ID = 2**63 - 1
_BANK_ACCOUNT = re.compile(r"^\d{6,32}$")


class InvalidInput(DomainError):
    code = "invalid_input"


def latest_date() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=FUTURE_DAYS)


def check_date(value: dt.date, *, label: str, allow_future: bool = True) -> dt.date:
    """``value`` between 1900-01-01 and today (events) or a year from today (plans)."""
    last = latest_date() if allow_future else timezone.localdate()
    if not EARLIEST_DATE <= value <= last:
        until = last.isoformat() if allow_future else _("今天")
        raise InvalidInput(_("%(label)s %(value)s 超出允许范围（1900-01-01 至 %(last)s）") % {
            "label": label, "value": value.isoformat(), "last": until}, code=Code.DATE_OUT_OF_RANGE)
    return value


def parse_date(raw: str | None, *, label: str, default: dt.date | None = None, allow_future: bool = True):
    """A posted ``YYYY-MM-DD`` as a date within range; empty gives ``default``."""
    raw = (raw or "").strip()
    if not raw:
        return default
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("%(label)s格式应为 年-月-日，例如 2026-03-01") % {"label": label},
                           code=Code.INVALID_DATE) from None
    return check_date(value, label=label, allow_future=allow_future)


def parse_int(raw: str | None, *, label: str, minimum: int, maximum: int, default: int | None = None) -> int | None:
    """A posted whole number within ``minimum``..``maximum``; empty gives ``default``."""
    raw = (raw or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[+-]?\d{1,19}", raw):
        raise InvalidInput(_("%(label)s应为整数") % {"label": label}, code=Code.INVALID_NUMBER)
    value = int(raw)
    if not minimum <= value <= maximum:
        raise InvalidInput(_("%(label)s应在 %(lo)s 至 %(hi)s 之间") % {"label": label, "lo": minimum, "hi": maximum},
                           code=Code.NUMBER_OUT_OF_RANGE)
    return value


def parse_month(raw: str | None, *, label: str) -> dt.date:
    """A posted ``YYYY-MM`` as the first day of that month, within the date range."""
    raw = (raw or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < EARLIEST_DATE.year:
        raise InvalidInput(_("%(label)s格式应为 年-月，例如 2026-03") % {"label": label}, code=Code.INVALID_MONTH)
    return check_date(dt.date(int(match.group(1)), int(match.group(2)), 1), label=label)


def check_year(value: int, *, label: str) -> int:
    """A budget or statement year: from 2000 to next year."""
    last = latest_date().year
    if not 2000 <= value <= last:
        raise InvalidInput(_("%(label)s应在 2000 至 %(last)s 之间") % {"label": label, "last": last},
                           code=Code.YEAR_OUT_OF_RANGE)
    return value


def normalize_bank_account(raw: str) -> str:
    """Bank card and passbook numbers: digits only (spaces allowed when typed, removed), 6–32 digits."""
    value = re.sub(r"[\s-]", "", raw or "")
    if not _BANK_ACCOUNT.fullmatch(value):
        raise InvalidInput(_("银行账号只能由数字组成（6至32位），请核对后重新输入"), code=Code.INVALID_BANK_ACCOUNT)
    return value


# --- the same checks as Django validators (forms raise ValidationError, not DomainError) -------------------------


def validate_bank_account(value: str) -> None:
    try:
        normalize_bank_account(value)
    except InvalidInput as exc:
        raise ValidationError(exc.message, code=exc.code) from None


def validate_resident_id(value: str) -> None:
    try:
        parse_resident_id(value)
    except InvalidResidentId as exc:
        raise ValidationError(exc.message, code=exc.code) from None
