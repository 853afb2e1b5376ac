"""Random call-backs (不定期抽查热线畅通性、有效性, seed 002 一(三)): which lines to call is drawn with a recorded seed,
so the draw can be re-run and checked; each call's result is recorded."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline.choices import LineResult
from doudi.hotline.errors import Code, HotlineError
from doudi.hotline.models import HotlineLine, LineCheck

if TYPE_CHECKING:
    from doudi.accounts.models import User


def line_check_draw(*, actor: User, prefix: str, count: int, seed: int) -> list[HotlineLine]:
    """The lines to call: ``count`` of the active lines under ``prefix`` (in scope), drawn with ``seed``. The same
    seed over the same lines gives the same draw (lines are ordered by id before drawing)."""
    lines = list(HotlineLine.objects.restrict(actor, Action.CHANGE)
                 .filter(region__code__startswith=prefix, active=True).order_by("id"))
    return random.Random(seed).sample(lines, min(max(count, 0), len(lines)))


@transaction.atomic
def line_check_record(*, actor: User, line: HotlineLine | int, result: str, note: str = "",
                      seed: int | None = None) -> LineCheck:
    found = HotlineLine.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(line, "pk", line)).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该热线，或不在您的辖区内"))
    if result not in LineResult.values:
        raise HotlineError(_("请选择抽查结果"), code=Code.BAD_SATISFACTION, field="result")
    check = LineCheck.objects.create(line=found, result=result, note=note.strip()[:300], draw_seed=seed,
                                     called_at=timezone.now(), checked_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=check, region_code=found.region_id,
                 changes={"line": found.number, "result": result})
    return check
