from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
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


def confirm(*, actor: User, row: M, region_code: str, what: str) -> M:
    """Maker-checker for money (``row`` locked by the caller): a second person confirms what one recorded; the one
    who recorded it is refused, and a row is confirmed once."""
    from doudi.socialforces.errors import Code, SocialForcesError

    if row.confirmed_by_id is not None:
        raise SocialForcesError(_("该笔%(what)s已确认") % {"what": what}, code=Code.BAD_STATE)
    if row.recorded_by_id is None or row.recorded_by_id == actor.pk:
        raise SocialForcesError(_("录入人不能确认自己录入的%(what)s，请由另一名工作人员确认") % {"what": what},
                                code=Code.SAME_PERSON)
    row.confirmed_by, row.confirmed_at = actor, timezone.now()
    row.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=row, region_code=region_code,
                 changes={"confirmed_by": actor.pk, "recorded_by": row.recorded_by_id})
    return row
