"""``case_transition``: the one function that moves a case, whatever its workflow.

Order of checks, each before anything is written: scope (404, same as missing), the workflow's table (409), the
actor's authority for that step (403), then the step's own preconditions (422). Inside one transaction it locks the
case row (``select_for_update``), applies the step's effect and deadline from the registered ``WorkflowSpec``
(``cases.workflow``), writes the ``Transition`` row and the audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases import workflow
from doudi.cases.choices import AuthorityLevel, State
from doudi.cases.errors import Code
from doudi.cases.models import Case, Transition
from doudi.cases.selectors import actor_reach
from doudi.cases.services.investigation import involved_user_ids
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden, PermissionDenied

if TYPE_CHECKING:
    from doudi.accounts.models import User

COUNTY_REACH = 6
TOWNSHIP_REACH = 9


def _label(state: str) -> str:
    return str(State(state).label)


def check_authority(actor: User, *, case: Case, who: str) -> None:
    if who == workflow.DECIDER:
        reach = actor_reach(actor, case=case, action=Action.DECIDE)
        need = COUNTY_REACH if case.authority_level == AuthorityLevel.COUNTY else TOWNSHIP_REACH
        if reach is None or reach > need:
            raise PermissionDenied(
                _("此案件由%(level)s，您没有审核确认权限") % {"level": case.get_authority_level_display()}
            )
        return
    reach = actor_reach(actor, case=case, action=Action.CHANGE)
    need = TOWNSHIP_REACH if who == workflow.TOWNSHIP else 12
    if reach is None or reach > need:
        raise PermissionDenied(_("您没有办理此环节的权限（须乡镇（街道）经办人员办理）"))


def check_separation(actor: User, *, case: Case, spec: workflow.WorkflowSpec, to_state: str) -> None:
    """Maker-checker: who investigated or reviewed a case may not approve it."""
    if to_state in spec.approval_states and actor.pk in involved_user_ids(case, review_states=spec.review_states):
        raise PermissionDenied(
            _("您参与了本案件的入户调查或初审，不能审批同一案件，须由另一名工作人员审批"), code=Code.MAKER_CHECKER
        )


def next_steps(actor: User, *, case: Case) -> list[str]:
    """States the actor may move this case to now (the buttons on the case page)."""
    steps = []
    spec = workflow.workflow_spec(case.workflow)
    for to_state, who in workflow.allowed_next(case.workflow, case.state).items():
        try:
            check_authority(actor, case=case, who=who)
            check_separation(actor, case=case, spec=spec, to_state=to_state)
        except PermissionDenied:
            continue
        steps.append(to_state)
    return steps


def case_transition(*, actor: User, case: Case | int, to_state: str, reason: str = "", today: dt.date | None = None,
                    data: workflow.StepData | None = None) -> Case:
    """Move ``case`` to ``to_state``; ``data`` holds the step's own inputs (``workflow.StepData``)."""
    today = today or timezone.localdate()
    data = data or workflow.StepData()
    pk = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=pk).first()
        if locked is None or not Case.objects.restrict(actor, Action.VIEW).filter(pk=pk).exists():
            raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
        if to_state not in State.values:
            raise IllegalTransition(_("未知的目标状态“%(s)s”") % {"s": to_state}, code=Code.UNKNOWN_STATE)
        spec = workflow.workflow_spec(locked.workflow)
        who = spec.table.get(locked.state, {}).get(to_state)
        if who is None:
            raise IllegalTransition(
                _("当前状态“%(from)s”不能直接进入“%(to)s”") % {"from": _label(locked.state), "to": _label(to_state)}
            )
        check_authority(actor, case=locked, who=who)
        check_separation(actor, case=locked, spec=spec, to_state=to_state)
        effect = spec.effects.get(to_state)
        if effect is not None:
            effect(actor, locked, today, reason, data)
        from_state = locked.state
        locked.state = to_state
        deadline = spec.deadlines.get(to_state)
        if deadline is not None:
            deadline(locked, today)
        locked.save()
        Transition.objects.create(case=locked, from_state=from_state, to_state=to_state, actor=actor,
                                  reason=reason[:500], step_due=locked.step_due, on=today)
        audit_record(
            actor=actor, action=AuditAction.TRANSITION, obj=locked, region_code=locked.region_id,
            changes={"state": [from_state, to_state]}, reason=reason,
        )
    return locked
