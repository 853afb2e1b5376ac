"""The work on a drawn item: the inspection record (on the phone), corrective actions with deadlines from the
profile (``procedure.inspection.rectification_workdays``), and a review of the entitlement through the existing
dynamic-management workflow (which leads on to recovery and credit records where the review finds fraud)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.workdays import add_working_days
from doudi.policy.services import values_as_of
from doudi.reviews.choices import ReviewReason
from doudi.reviews.services import review_open
from doudi.supervision.choices import Finding, ItemStatus, Method, RoundStatus
from doudi.supervision.errors import Code, SupervisionError
from doudi.supervision.models import CorrectiveAction, InspectionItem

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.reviews.models import ReviewTask


def _item(actor: User, item: InspectionItem | int) -> InspectionItem:
    """The item, locked, for its area's staff or for an inspector drawn to it (who by 回避 works elsewhere)."""
    pk = getattr(item, "pk", item)
    in_area = InspectionItem.objects.restrict(actor, Action.CHANGE).filter(pk=pk)
    drawn = InspectionItem.objects.filter(pk=pk, inspectors=getattr(actor, "pk", None)) if getattr(
        actor, "is_active", False) else InspectionItem.objects.none()
    found = None
    if in_area.exists() or drawn.exists():
        found = InspectionItem.objects.select_for_update().select_related("round", "household__region").get(pk=pk)
    if found is None:
        raise NotFoundOrForbidden(_("未找到该抽查对象，或不在您的辖区内"))
    return found


def _round_progress(item: InspectionItem) -> None:
    rnd = item.round
    if rnd.status == RoundStatus.DRAWN and not rnd.items.filter(status=ItemStatus.PENDING).exists():
        rnd.status = RoundStatus.DONE
        from doudi.supervision.services.rounds import publish_due

        rnd.publish_due = publish_due(rnd.region, done_on=timezone.localdate())
        rnd.save(update_fields=["status", "publish_due"])


@transaction.atomic
def item_record(*, actor: User, item: InspectionItem | int, method: str, inspected_on: dt.date, finding: str,
                notes: str, photo=None) -> InspectionItem:
    it = _item(actor, item)
    if method not in Method.values:
        raise SupervisionError(_("请选择检查方式"), code=Code.BAD_FINDING, field="method")
    if finding not in Finding.values:
        raise SupervisionError(_("请选择检查结论"), code=Code.BAD_FINDING, field="finding")
    if inspected_on > timezone.localdate():
        raise SupervisionError(_("检查日期不能晚于今天"), code=Code.BAD_FINDING, field="inspected_on")
    if finding != Finding.NONE and not notes.strip():
        raise SupervisionError(_("发现问题时须写明检查记录"), code=Code.TEXT_REQUIRED, field="notes")
    it.method, it.inspected_on, it.finding, it.notes = method, inspected_on, finding, notes.strip()
    it.recorded_by = actor
    if photo is not None:
        it.photo = photo
    it.status = ItemStatus.CLEAR if finding == Finding.NONE else ItemStatus.RECTIFYING
    it.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=it, region_code=it.household.region_id,
                 changes={"method": method, "finding": finding, "inspected_on": inspected_on})
    _round_progress(it)
    return it


@transaction.atomic
def action_add(*, actor: User, item: InspectionItem | int, description: str) -> CorrectiveAction:
    it = _item(actor, item)
    if it.status not in (ItemStatus.RECTIFYING, ItemStatus.RECTIFIED):
        raise SupervisionError(_("检查发现问题后才能提出整改"), code=Code.NOT_INSPECTED)
    if not description.strip():
        raise SupervisionError(_("请填写整改要求"), code=Code.TEXT_REQUIRED, field="description")
    today = timezone.localdate()
    days = values_as_of(profile=it.household.region.effective_profile(), prefix="procedure.inspection.",
                        on=today).get("procedure.inspection.rectification_workdays")
    if days is None:
        raise SupervisionError(_("本地政策配置未设置整改时限"), code=Code.NO_LIMITS)
    action = CorrectiveAction.objects.create(item=it, description=description.strip(),
                                             due_on=add_working_days(today, days), created_by=actor)
    if it.status == ItemStatus.RECTIFIED:
        it.status = ItemStatus.RECTIFYING
        it.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=action, region_code=it.household.region_id,
                 changes={"due_on": action.due_on})
    return action


def _action(actor: User, action: CorrectiveAction | int) -> CorrectiveAction:
    pk = getattr(action, "pk", action)
    found = (CorrectiveAction.objects.restrict(actor, Action.CHANGE).select_for_update()
             .select_related("item__household", "item__entitlement").filter(pk=pk).first())
    if found is None:
        raise NotFoundOrForbidden(_("未找到该整改事项，或不在您的辖区内"))
    return found


@transaction.atomic
def action_done(*, actor: User, action: CorrectiveAction | int, result: str) -> CorrectiveAction:
    a = _action(actor, action)
    if not result.strip():
        raise SupervisionError(_("请填写整改结果"), code=Code.TEXT_REQUIRED, field="result")
    a.result, a.done_on = result.strip(), timezone.localdate()
    a.save(update_fields=["result", "done_on"])
    item = a.item
    if not item.actions.filter(done_on__isnull=True).exists():
        item.status = ItemStatus.RECTIFIED
        item.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=a, region_code=item.household.region_id,
                 changes={"done_on": a.done_on})
    return a


@transaction.atomic
def action_open_review(*, actor: User, action: CorrectiveAction | int) -> ReviewTask:
    """The finding goes to dynamic management: a review of the entitlement, opened once per action."""
    a = _action(actor, action)
    task = review_open(actor=actor, entitlement=a.item.entitlement, reason=ReviewReason.DISCREPANCY,
                       key=f"inspection:{a.pk}",
                       note=(_("双随机抽查发现问题：%(d)s") % {"d": a.description})[:300])
    a.review = task
    a.save(update_fields=["review"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=a, region_code=a.item.household.region_id,
                 changes={"review": task.pk})
    return task
