"""One household, one plan (一户一策) for a household in the low-income database: needs, each department's
measures, follow-up visits. A plan is written by the township or the village and is closed with a reason."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action, Department
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import MeasureStatus, PlanStatus
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.models import HouseholdPlan, LowIncomeMember, PlanFollowUp, PlanMeasure
from doudi.registry.models import Household

if TYPE_CHECKING:
    from doudi.accounts.models import User


def _plan(actor: User, plan: HouseholdPlan | int) -> HouseholdPlan:
    found = HouseholdPlan.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(plan, "pk", plan)).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该帮扶计划，或不在您的辖区内"))
    return found


@transaction.atomic
def plan_create(*, actor: User, household: Household, needs: str,
                next_follow_up: dt.date | None = None) -> HouseholdPlan:
    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if not LowIncomeMember.objects.filter(household=found).as_of(timezone.localdate()).exists():
        raise MonitoringError(_("一户一策适用于低收入人口库中的家庭"), code=Code.NOT_MONITORED)
    if not needs.strip():
        raise MonitoringError(_("请填写家庭的困难与需求"), code=Code.NEEDS_REQUIRED, field="needs")
    if HouseholdPlan.objects.filter(household=found, status=PlanStatus.ACTIVE).exists():
        raise MonitoringError(_("该家庭已有帮扶中的计划"), code=Code.PLAN_EXISTS)
    plan = HouseholdPlan.objects.create(household=found, region_id=found.region_id, needs=needs.strip(),
                                        next_follow_up=next_follow_up, created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, region_code=plan.region_id,
                 changes=snapshot(plan, fields=["needs", "next_follow_up"]))
    return plan


@transaction.atomic
def plan_measure_add(*, actor: User, plan: HouseholdPlan | int, department: str, measure: str,
                     due_on: dt.date | None = None) -> PlanMeasure:
    plan = _plan(actor, plan)
    if department not in Department.values:
        raise MonitoringError(_("请选择责任部门"), code=Code.DEPARTMENT_REQUIRED, field="department")
    if not measure.strip():
        raise MonitoringError(_("请填写帮扶措施"), code=Code.MEASURE_REQUIRED, field="measure")
    row = PlanMeasure.objects.create(plan=plan, department=department, measure=measure.strip()[:300], due_on=due_on,
                                     updated_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=plan.region_id,
                 changes=snapshot(row, fields=["department", "measure", "due_on"]))
    return row


@transaction.atomic
def plan_measure_update(*, actor: User, measure: PlanMeasure | int, status: str, note: str = "") -> PlanMeasure:
    row = PlanMeasure.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(measure, "pk", measure)).first()
    if row is None:
        raise NotFoundOrForbidden(_("未找到该帮扶措施，或不在您的辖区内"))
    if status not in MeasureStatus.values:
        raise MonitoringError(_("落实情况无效"), code=Code.BAD_STATUS, field="status")
    old = row.status
    row.status, row.note, row.updated_by = status, note.strip()[:300], actor
    row.save(update_fields=["status", "note", "updated_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, region_code=row.plan.region_id,
                 changes={"status": [old, status]}, reason=note)
    return row


@transaction.atomic
def plan_follow_up(*, actor: User, plan: HouseholdPlan | int, visited_on: dt.date, note: str,
                   next_follow_up: dt.date | None = None) -> PlanFollowUp:
    plan = _plan(actor, plan)
    if not note.strip():
        raise MonitoringError(_("请填写回访情况"), code=Code.NOTE_REQUIRED, field="note")
    if visited_on > timezone.localdate():
        raise MonitoringError(_("回访日期不能晚于今天"), code=Code.BAD_DATE, field="visited_on")
    row = PlanFollowUp.objects.create(plan=plan, visited_on=visited_on, note=note.strip()[:500], by=actor)
    plan.next_follow_up = next_follow_up
    plan.save(update_fields=["next_follow_up", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=plan.region_id,
                 changes={"visited_on": visited_on, "next_follow_up": next_follow_up})
    return row


@transaction.atomic
def plan_close(*, actor: User, plan: HouseholdPlan | int, reason: str) -> HouseholdPlan:
    plan = _plan(actor, plan)
    if not reason.strip():
        raise MonitoringError(_("结束帮扶须写明原因"), code=Code.REASON_REQUIRED, field="reason")
    plan.status = PlanStatus.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=plan, region_code=plan.region_id,
                 changes={"status": [PlanStatus.ACTIVE, PlanStatus.CLOSED]}, reason=reason)
    return plan
