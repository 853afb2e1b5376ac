"""Money is integer fen (分) end to end. Yuan appear only at the edges: parsing input and formatting output.

Rounding to the yuan is half up (四舍五入), done once at the end of a computation, never banker's rounding.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from doudi.core.errors import DomainError


class InvalidAmount(DomainError):
    code = "invalid_amount"


def yuan_to_fen(value: str | int | Decimal, *, allow_negative: bool = False) -> int:
    """Parse a yuan amount (up to 2 decimals) into integer fen; a float is refused."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise InvalidAmount(_("金额“%(value)s”不是有效数字") % {"value": value}) from None
    if not amount.is_finite():
        raise InvalidAmount(_("金额“%(value)s”不是有效数字") % {"value": value})
    if amount.as_tuple().exponent < -2:
        raise InvalidAmount(_("金额“%(value)s”最多保留两位小数") % {"value": value})
    if amount < 0 and not allow_negative:
        raise InvalidAmount(_("金额不能为负数：%(value)s") % {"value": value})
    return int(amount * 100)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def round_fen_to_yuan(fen: int) -> int:
    """Half-up rounding of a fen amount to whole yuan, returned in fen (12650 → 12700; -12650 → -12700)."""
    if fen >= 0:
        return (fen + 50) // 100 * 100
    return -((-fen + 50) // 100 * 100)


def format_yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    return f"{fen_to_yuan(fen):,.2f}"
