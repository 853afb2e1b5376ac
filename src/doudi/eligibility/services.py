"""Running the rules engine on registry households and storing the result (政策测算).

Contract used by the case workflow and the payroll:
- ``evaluation_run(actor=, household=, as_of=, extra=None) -> Evaluation`` evaluates every program for the household
  as it stood on ``as_of`` under the policy profile of its region, stores the engine input, the parameters with
  their sources and the decision with its Chinese explanation, and audits it.
- ``selectors.program_outcome(evaluation, program) -> Outcome`` reads one program's result.
- ``evaluation_replay(evaluation) -> dict`` re-runs the stored input under the stored parameters.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.eligibility.adapter import household_input
from doudi.eligibility.errors import Code
from doudi.eligibility.models import Evaluation
from doudi.registry.models import Household, Membership
from doudi.registry.selectors import household_snapshot
from doudi.rules import InputError, evaluate_household
from doudi.rules.params import Params

if TYPE_CHECKING:
    from doudi.accounts.models import User


class EvaluationError(DomainError):
    code = "evaluation_error"


def params_for(profile: str, *, as_of: dt.date, area: str | None = None) -> Params:
    """Parameters of ``profile`` in force on ``as_of``: profile files merged with dated admin overrides."""
    from doudi.policy.services import profile_load_effective

    return profile_load_effective(name_or_path=profile).params_as_of(as_of, area)


def evaluate_snapshot_input(data: dict[str, Any], *, params: Params, as_of: dt.date) -> dict[str, Any]:
    try:
        return evaluate_household(data, params, as_of)
    except InputError as exc:
        raise EvaluationError(str(exc), code=Code.BAD_ENGINE_INPUT) from exc


@transaction.atomic
def evaluation_run(*, actor: User, household: Household, as_of: dt.date,
                   extra: dict[str, Any] | None = None) -> Evaluation:
    scoped = Household.objects.restrict(actor, Action.VIEW_FULL).select_related("region").filter(pk=household.pk)
    household = scoped.first()
    if household is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    snapshot = household_snapshot(household, as_of=as_of)
    if not snapshot.members:
        raise EvaluationError(_("%(date)s 该家庭没有登记成员，无法测算") % {"date": as_of}, code=Code.NO_MEMBERS)
    profile = household.region.effective_profile()
    params = params_for(profile, as_of=as_of, area=household.area_type)
    data = household_input(snapshot, extra=extra)
    decision = evaluate_snapshot_input(data, params=params, as_of=as_of)
    evaluation = Evaluation.objects.create(
        household=household,
        as_of=as_of,
        profile=profile,
        profile_version=decision["policy_version"],
        params=decision["parameters"],
        inputs=data,
        result={k: v for k, v in decision.items() if k not in ("parameters", "explanation")},
        explanation=decision["explanation"],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EVALUATE,
        obj=evaluation,
        region_code=household.region_id,
        changes={"as_of": as_of.isoformat(), "profile": profile, "version": evaluation.profile_version},
    )
    return evaluation


def evaluation_replay(evaluation: Evaluation) -> dict[str, Any]:
    """Re-run a stored evaluation's input under its profile's parameters for its date.

    ``same`` is True when today's parameters for that date have the same version and the engine gives the same
    result; otherwise ``differences`` lists what changed (e.g. an admin entered an official standard since)."""
    params = params_for(evaluation.profile, as_of=evaluation.as_of, area=evaluation.inputs.get("area"))
    decision = evaluate_snapshot_input(evaluation.inputs, params=params, as_of=evaluation.as_of)
    # Compare in stored (JSON) form: tuples become lists on the way into the database.
    result = json.loads(json.dumps({k: v for k, v in decision.items() if k not in ("parameters", "explanation")}))
    differences = sorted(k for k in set(result) | set(evaluation.result) if result.get(k) != evaluation.result.get(k))
    return {
        "same": not differences and params.version() == evaluation.profile_version,
        "policy_version_then": evaluation.profile_version,
        "policy_version_now": params.version(),
        "differences": differences,
        "result": result,
    }


def income_rose_on(*, household: Household, since: dt.date, until: dt.date) -> dt.date | None:
    """渐退 memory from the registry (S1 Art 33): the date of the dated income evidence from which the household is
    no longer eligible for 低保 and stays so up to ``until`` — the engine decides at each date an income record of a
    member began after ``since`` (the benefit's start). None when no such evidence explains the change (then the
    rise is dated by the review month, as the engine does without a date)."""
    from doudi.registry.models import Income

    members = Membership.objects.filter(household=household).as_of(until).values_list("person_id", flat=True)
    dates = sorted(set(Income.objects.filter(person_id__in=list(members), valid_from__gt=since,
                                             valid_from__lte=until).values_list("valid_from", flat=True)))
    if not dates:
        return None
    profile = household.region.effective_profile()

    def eligible(day: dt.date) -> bool | None:
        snapshot = household_snapshot(household, as_of=day)
        if not snapshot.members:
            return None
        params = params_for(profile, as_of=day, area=household.area_type)
        return bool(evaluate_snapshot_input(household_input(snapshot), params=params, as_of=day)["dibao"]["eligible"])

    # a handful of dates: each is one row evaluation, nothing stored. The rise is the last record that took the
    # household from eligible to not eligible, and it must still be above the line at the last record.
    before, rose = eligible(since), None
    for day in dates:
        now = eligible(day)
        if now is None:
            continue
        if before and not now:
            rose = day
        elif now:
            rose = None
        before = now
    return rose
