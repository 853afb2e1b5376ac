"""Money is integer fen (分) end to end. Yuan appear only at the edges: parsing input and formatting output.

Rounding to the yuan is half up (四舍五入), done once at the end of a computation, never banker's rounding.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from doudi.core.errors import DomainError


class InvalidAmount(DomainError):
    code = "invalid_amount"


# No amount the platform handles comes near this: 100 亿元 (a whole province's yearly budget is below it). Anything
# larger is a typing error or an attack, refused with a message before it reaches a calculation or the database.
MAX_AMOUNT_FEN = 10**12


def yuan_to_fen(value: str | int | Decimal, *, allow_negative: bool = False, max_fen: int = MAX_AMOUNT_FEN) -> int:
    """Parse a yuan amount (up to 2 decimals) into integer fen; a float is refused, and so is an amount beyond
    ``max_fen`` (either sign)."""
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
    if abs(amount) * 100 > max_fen:
        raise InvalidAmount(_("金额“%(value)s”超出允许范围（不超过 %(max)s 元）") % {
            "value": value, "max": f"{fen_to_yuan(max_fen):,.2f}"})
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
