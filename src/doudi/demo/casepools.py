"""Which households the demo's cases are made for: the ones the rules engine finds eligible but that ``enrol`` left
undiscovered, plus a few it finds ineligible (for a rejection with the engine's reasons), and the open caseload
planned for each township. The choice is deterministic for a population."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from doudi.demo.caseflow import Plan, working_days_back
from doudi.demo.population import demo_households
from doudi.demo.regions import VILLAGE_A

EARLIEST = 22  # working days back of the oldest event; eligibility is checked at both ends of the window


@dataclass
class Pools:
    """Not-yet-enrolled households of one township, by what the engine says (at both ends of the demo's window)."""

    dibao: list = field(default_factory=list)
    tekun: list = field(default_factory=list)
    ineligible: list = field(default_factory=list)
    used: set = field(default_factory=set)

    def take(self, kind: str, village: str | None = None):
        order = {"dibao": (self.dibao,), "tekun": (self.tekun,), "ineligible": (self.ineligible,),
                 "eligible": (self.dibao, self.tekun), "any": (self.dibao, self.ineligible, self.tekun)}[kind]
        for pool in order:
            for hh in pool:
                if hh.pk not in self.used and (village is None or hh.region_id == village):
                    self.used.add(hh.pk)
                    return hh
        return None


def _decisions(households: list, as_of: dt.date) -> dict[int, dict]:
    from doudi.demo.enrol import decide_by_area
    from doudi.eligibility.adapter import household_inputs
    from doudi.registry.selectors import household_snapshots

    if not households:
        return {}
    profile = households[0].region.effective_profile()
    by_number = {h.number: h for h in households}
    inputs = household_inputs(household_snapshots(households, as_of=as_of))  # skips households without members
    return {by_number[data["id"]].pk: decision for data, decision in decide_by_area(inputs, profile, as_of)}


def township_pools(township: str, today: dt.date, exclude: set[int]) -> Pools:
    from doudi.benefits.models import Entitlement
    from doudi.demo.enrol import _enrolled

    households = [
        h for h in demo_households().filter(region__code__startswith=township[:9]).select_related("region")
        .exclude(pk__in=Entitlement.objects.values("household_id")).order_by("number")
        if not _enrolled(h.number) and h.pk not in exclude
    ]
    late, early = _decisions(households, today), _decisions(households, working_days_back(today, EARLIEST))
    pools = Pools()
    ranked = []
    for hh in households:
        a, b = late.get(hh.pk), early.get(hh.pk)
        if a is None or b is None:
            continue
        if a["tekun"]["eligible"] and b["tekun"]["eligible"]:
            pools.tekun.append(hh)
        elif a["dibao"]["eligible"] and b["dibao"]["eligible"] and not (a["tekun"]["eligible"] or
                                                                        b["tekun"]["eligible"]):
            pools.dibao.append(hh)
        elif not any(d[p]["eligible"] for d in (a, b) for p in ("dibao", "tekun")):
            per_head = a.get("countable_income_fen", 0) // max(a.get("counted_members") or 1, 1)
            ranked.append((per_head, hh.number, hh))
    # The plausible ineligible applicants are the ones just above the line.
    pools.ineligible = [hh for _, _, hh in sorted(ranked, key=lambda x: x[:2])]
    return pools


# The open caseload of each township. ``start`` is in working days before today; a public notice runs 7 days.
S_A = (
    Plan("any", "submitted", 1, channel="village_agent", village=VILLAGE_A, note="老伴常年卧床，家中无劳动力"),
    Plan("any", "returned", 4, channel="village_agent", village=VILLAGE_A,
         missing=("户口簿复印件", "残疾人证复印件", "近6个月银行流水")),
    Plan("eligible", "accepted", 2, note="丈夫去年病故，独自抚养两个孩子"),
    Plan("any", "accepted", 8, note="务农收入微薄"),  # accepted 7 working days ago, investigation not started: overdue
    Plan("dibao", "verifying", 4),
    Plan("dibao", "investigating", 6, investigated=True),
    Plan("tekun", "investigating", 19, program="tekun", note="老人无子女，独居，申请特困供养"),  # 15-day limit passed
    Plan("dibao", "township_reviewed", 7),
    Plan("dibao", "public_notice", 8, relatives=True),
    Plan("dibao", "public_notice", 14),  # notice over, waiting for the county's decision
    Plan("dibao", "objection", 9),
    Plan("dibao", "decided_approved", 20),
    Plan("ineligible", "decided_rejected", 16),
    Plan("any", "temporary_expenditure", 14),
)
S_B = (
    Plan("any", "submitted", 0, note="下岗后一直没找到工作"),
    Plan("any", "returned", 3, missing=("居民身份证复印件", "失业登记证明")),
    Plan("eligible", "accepted", 1),
    Plan("dibao", "verifying", 3),
    Plan("dibao", "investigating", 5),
    Plan("dibao", "township_reviewed", 6),
    Plan("dibao", "public_notice", 9),
    Plan("dibao", "decided_approved", 18),
    Plan("dibao", "decided_approved", 21),
    Plan("ineligible", "decided_rejected", 15),
    Plan("any", "terminated", 6),
)


EARLY_STATES = {"submitted", "returned", "accepted", "verifying", "investigating", "terminated"}
PRIORITY = {"tekun": 0, "dibao": 1, "eligible": 2, "ineligible": 3, "any": 4}


def assign(pools: Pools, plans: tuple[Plan, ...]) -> list[tuple[Plan, object]]:
    """Households for the plans: the scarce kinds first (特困, then 低保-eligible), so a small demo still fills the
    later states; an early-state plan falls back to any household when no eligible one is left."""
    chosen: dict[int, object] = {}
    for i in sorted(range(len(plans)), key=lambda i: PRIORITY[plans[i].kind]):
        plan = plans[i]
        if plan.stop == "temporary_expenditure":
            continue
        household = pools.take(plan.kind, plan.village)
        if household is None and plan.stop in EARLY_STATES:
            household = pools.take("any", plan.village)
        chosen[i] = household
    return [(plan, chosen.get(i)) for i, plan in enumerate(plans)]


def serious_illness_households(township: str) -> list:
    from doudi.registry.models import Illness, Membership

    people = Illness.objects.filter(serious=True, valid_to__isnull=True).values("person_id")
    return list(demo_households().filter(
        region__code__startswith=township[:9],
        pk__in=Membership.objects.filter(person_id__in=people, valid_to__isnull=True).values("household_id"),
    ).order_by("number"))
