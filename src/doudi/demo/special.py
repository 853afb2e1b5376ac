"""Demo recipients of the special-group programs (issue 12.4): a few orphans and de-facto unsupported children, and
disabled members of 低保 families with the living subsidy and the care subsidy — each decided by the engine from the
registry (the parents' situations recorded on the child, the disability certificates already on file), so the case
screens, the eligibility panel and the payroll show something real."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from doudi.demo.regions import COUNTY_A

PER_PROGRAM = 5
# (father, mother) situations recorded on a child: two orphans, two de-facto unsupported children, one of each kind
PARENTS = [("father_dead", "mother_dead"), ("father_dead", "mother_missing"), ("father_detained", "mother_dead"),
           ("father_disabled", "mother_no_contact"), ("father_dead", "mother_dead")]


def _grant(actor, household, program: str, today: dt.date) -> int:
    from doudi.benefits.models import Entitlement
    from doudi.benefits.services import entitlement_rows
    from doudi.eligibility.services import evaluation_run

    evaluation = evaluation_run(actor=actor, household=household, as_of=today)
    start = today.replace(day=1)
    n = 0
    for row in entitlement_rows(evaluation, program=program):
        if Entitlement.objects.filter(person_id=row["person_id"], program=program, status="active").exists():
            continue
        end = row.pop("end_month", None)
        if end is not None and end < start:
            continue
        Entitlement.objects.create(household=household, start_month=start, end_month=end, evaluation=evaluation,
                                   **row)
        n += 1
    return n


def build_demo_special(u, today: dt.date) -> dict[str, int]:
    from doudi.registry.models import Disability, Membership
    from doudi.registry.services import evidence_add

    actor = u["county"]
    counts = {"orphan": 0, "disabled_living": 0, "disabled_care": 0}
    children = (Membership.objects.filter(household__region__code__startswith=COUNTY_A[:6], valid_to__isnull=True,
                                          relationship__in=["child", "grandchild"],
                                          person__birth_date__gt=today.replace(year=today.year - 16),
                                          person__date_of_death__isnull=True)
                .select_related("household", "person").order_by("id"))
    seen: set[int] = set()
    for m in children:
        if counts["orphan"] >= PER_PROGRAM:
            break
        if m.household_id in seen:
            continue
        seen.add(m.household_id)
        for kind in PARENTS[counts["orphan"] % len(PARENTS)]:
            evidence_add(actor=actor, person=m.person, evidence_type="circumstance", kind=kind,
                         valid_from=today - dt.timedelta(days=400))
        counts["orphan"] += _grant(actor, m.household, "orphan", today)
    disabled = (Disability.objects.filter(person__memberships__household__region__code__startswith=COUNTY_A[:6],
                                          person__memberships__valid_to__isnull=True, valid_to__isnull=True)
                .filter(Q(person__memberships__household__entitlements__program="dibao",
                          person__memberships__household__entitlements__status="active"))
                .values_list("person__memberships__household", flat=True).distinct().order_by(
                    "person__memberships__household")[:40])
    from doudi.registry.models import Household

    for household in Household.objects.filter(pk__in=list(disabled)).order_by("id"):
        for program in ("disabled_living", "disabled_care"):
            if counts[program] < PER_PROGRAM:
                counts[program] += _grant(actor, household, program, today)
        if min(counts.values()) >= PER_PROGRAM:
            break
    return counts


def delete_demo_special(city_prefix: str) -> None:
    from doudi.benefits.models import Entitlement
    from doudi.payments.models import PayrollLine

    ents = Entitlement.objects.filter(program__in=["orphan", "disabled_living", "disabled_care"],
                                      household__region__code__startswith=city_prefix)
    PayrollLine.objects.filter(entitlement__in=ents).delete()
    ents.delete()
