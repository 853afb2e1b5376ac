"""A member's death opens the household's review at once (S5 §1(3): the family is checked within 3 months of the
death, and the increase, decrease or stop decided then).

Until that decision the payroll pays what was decided (``payments.amounts.base_amounts``): national policy sets
the 3-month check, not an automatic change of the amount (national-rules.md §1.7 "Death of a member"; no seed
profile says otherwise). A person's own benefit (特困, 单人户) is not paid from the month of their death (S2 Art
24(1)); the review then closes it. The review runs the engine for the household as it is after the death, so the
page shows the new amount; adjusting it opens an increase/decrease/stop case that another person decides
(``cases`` maker-checker).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.models import Entitlement
from doudi.core.errors import DomainError
from doudi.reviews import schedule
from doudi.reviews.choices import ReviewReason, ReviewStatus
from doudi.reviews.models import ReviewTask

if TYPE_CHECKING:
    from doudi.accounts.models import User
from doudi.reviews.services.scan import LIVE, REVIEWED_PROGRAMS


def death_check_months(household) -> int | None:
    """``procedure.death_check_months`` of the household's profile on today's parameters (national: 3, S5 §1(3))."""
    from doudi.eligibility.services import params_for
    from doudi.rules.procedure import timelines

    params = params_for(household.region.effective_profile(), as_of=timezone.localdate(),
                        area=household.area_type)
    return timelines(params).death_check_months


def death_review_open(*, actor: User, person, date_of_death: dt.date, household_ids: list[int]) -> list[ReviewTask]:
    """For each live benefit of the households the person belonged to: the death review (once per person and
    benefit, the same key as the scan's), with a fresh evaluation as of the day after the death."""
    from doudi.eligibility.services import evaluation_run

    ents = list(Entitlement.objects.filter(household_id__in=household_ids, program__in=REVIEWED_PROGRAMS,
                                           status__in=LIVE, start_month__lte=date_of_death)
                .select_related("household__region"))
    tasks = []
    for ent in ents:
        months = death_check_months(ent.household)
        task, created = ReviewTask.objects.get_or_create(
            entitlement=ent, reason=ReviewReason.DEATH, key=f"death:{person.pk}",
            defaults={"household_id": ent.household_id, "person": person, "created_by": actor,
                      "due_on": schedule.death_due(date_of_death, months),
                      "note": _("成员于%(d)s死亡") % {"d": date_of_death}})
        if not created:
            continue
        after = date_of_death + dt.timedelta(days=1)
        try:
            task.evaluation = evaluation_run(actor=actor, household=ent.household, as_of=after)
            task.status = ReviewStatus.IN_PROGRESS
        except DomainError as exc:  # e.g. nobody left in the household: the review records why it has no amount
            task.note = _("成员于%(d)s死亡；未能测算：%(e)s") % {"d": date_of_death, "e": exc.message}
        task.save(update_fields=["evaluation", "status", "note"])
        audit_record(actor=actor, action=AuditAction.CREATE, obj=task, region_code=ent.household.region_id,
                     changes={"reason": ReviewReason.DEATH, "due_on": task.due_on,
                              "evaluation": task.evaluation_id})
        tasks.append(task)
    return tasks
