from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan

if TYPE_CHECKING:
    from doudi.accounts.models import User

M = TypeVar("M", bound=models.Model)


def scoped(model: type[M], *, actor: User, pk: M | int, action: str = Action.CHANGE, lock: bool = False) -> M:
    qs = model.objects.restrict(actor, action)
    if lock:
        qs = qs.select_for_update()
    found = qs.filter(pk=getattr(pk, "pk", pk)).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该记录，或不在您的辖区内"))
    return found


def check_region(actor: User, *, region, action: str = Action.CHANGE) -> None:
    if region is None or not allows(actor, action, region.code):
        raise NotFoundOrForbidden(_("该区划不在您的辖区内"))


def fen_text(fen: int) -> str:
    """Yuan for a message: "20,000" when whole, else "5,000.01" (``core.money``, never through a float)."""
    return format_yuan(fen) if fen % 100 else f"{fen // 100:,}"
