"""Enrol the demo city's current 低保/特困 recipients by running the real rules engine over the population.

The demo should open on a realistic caseload: the households the engine finds eligible today, most of them already
receiving benefits (with an evaluation on file that explains why), and a few left undiscovered for the
"主动发现" work. Re-running is safe: nothing happens if the demo already has entitlements.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from django.db import transaction

from doudi.benefits.models import Entitlement
from doudi.benefits.services import entitlement_rows
from doudi.demo.population import CITY_CODE, REFERENCE_DATE, demo_households
from doudi.eligibility.adapter import household_inputs
from doudi.eligibility.models import Evaluation
from doudi.eligibility.services import params_for
from doudi.registry.selectors import household_snapshots
from doudi.rules import evaluate_households

# Share of eligible households already enrolled; the rest are left for active discovery.
ENROLLED_SHARE = 85
CITY_PREFIX = CITY_CODE[:4]
SEVERE_FOR_SINGLE = {("intellectual", 3), ("mental", 3)}


def _enrolled(number: str) -> bool:
    return int(hashlib.sha256(number.encode()).hexdigest(), 16) % 100 < ENROLLED_SHARE


def _start_month(number: str, as_of: dt.date) -> dt.date:
    months_back = 1 + int(hashlib.sha256(b"start" + number.encode()).hexdigest(), 16) % 30
    year, month = as_of.year, as_of.month - months_back
    while month <= 0:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def _single_person(data: dict) -> int | None:
    # [000] 三(二)1: grade-1/2 disability, grade-3 intellectual or mental disability, or a serious illness.
    for member in data["members"]:
        dis = member.get("disability") or {}
        if dis.get("grade") in (1, 2) or (dis.get("type"), dis.get("grade")) in SEVERE_FOR_SINGLE:
            return int(member["id"])
        if member.get("serious_illness"):
            return int(member["id"])
    return None


def demo_entitlements():
    return Entitlement.objects.filter(household__in=demo_households())


def delete_demo_enrolment() -> None:
    """Remove what the demo's enrolment built on the population (payrolls, reviews, entitlements, evaluations).
    Delete the caseload first (``caseload.delete_demo_caseload``): its cases hold entitlements their approvals
    created."""
    from doudi.medical.models import MedicalClaim
    from doudi.payments.models import Deduction, Payroll, PayrollLine
    from doudi.reviews.models import Overpayment, Recovery, ReviewScan, ReviewTask

    MedicalClaim.objects.filter(household__in=demo_households()).delete()
    Recovery.objects.filter(overpayment__household__in=demo_households()).delete()
    Overpayment.objects.filter(household__in=demo_households()).delete()
    ReviewTask.objects.filter(household__in=demo_households()).delete()
    ReviewScan.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    PayrollLine.objects.filter(household__in=demo_households()).delete()
    Deduction.objects.filter(household__in=demo_households()).delete()
    Payroll.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    demo_entitlements().delete()
    Evaluation.objects.filter(household__in=demo_households()).delete()


def enrol_current_recipients(
    *, as_of: dt.date = REFERENCE_DATE, progress: Callable[[int, int], None] | None = None, chunk: int = 1000
) -> dict[str, int]:
    counts = {"evaluated": 0, "dibao": 0, "dibao_single": 0, "tekun": 0, "undiscovered": 0}
    if demo_entitlements().exists():
        return counts
    households = list(demo_households().select_related("region").order_by("pk"))
    if not households:
        return counts
    profile = households[0].region.effective_profile()
    for start in range(0, len(households), chunk):
        part = households[start : start + chunk]
        inputs = household_inputs(household_snapshots(part, as_of=as_of))  # skips households without members
        _store(decide_by_area(inputs, profile, as_of), {h.number: h for h in part}, profile, as_of, counts)
        counts["evaluated"] += len(inputs)
        if progress:
            progress(min(start + chunk, len(households)), len(households))
    return counts


def decide_by_area(inputs: list[dict], profile: str, as_of: dt.date) -> list[tuple[dict, dict]]:
    """(input, decision) pairs, urban households first: each area is evaluated in one batch under its own
    parameters (standards differ by area)."""
    out: list[tuple[dict, dict]] = []
    for area in ("urban", "rural"):
        items = [d for d in inputs if d["area"] == area]
        if items:
            params = params_for(profile, as_of=as_of, area=area)
            out.extend(zip(items, evaluate_households(items, params, as_of), strict=True))
    return out


@transaction.atomic
def _store(decisions, households, profile: str, as_of: dt.date, counts: dict[str, int]) -> None:
    for data, decision in decisions:
        dibao, tekun = decision["dibao"], decision["tekun"]
        if not (dibao["eligible"] or tekun["eligible"]):
            continue
        household = households[data["id"]]
        if not _enrolled(household.number):
            counts["undiscovered"] += 1
            continue
        evaluation = Evaluation.objects.create(
            household=household, as_of=as_of, profile=profile, profile_version=decision["policy_version"],
            params=decision["parameters"], inputs=data,
            result={k: v for k, v in decision.items() if k not in ("parameters", "explanation")},
            explanation=decision["explanation"],
        )
        start = _start_month(household.number, as_of)
        common = {"household": household, "start_month": start, "evaluation": evaluation}
        # The engine's entitlements: one per 特困 person (own care tier and amount, S2; [000] 三(二)3), then the
        # 低保 unit of the others (whole household) or 单人户 persons — one basic-living program per person.
        for program in ("tekun", "dibao", "dibao_single"):
            for row in entitlement_rows(evaluation, program=program):
                Entitlement.objects.create(**row, **common)
                counts[program] += 1



def prepare_demo_operations(*, as_of: dt.date = REFERENCE_DATE, stdout=None) -> dict[str, int]:
    """Give the demo a working history: the two previous months' payrolls approved (county makes, city checks) and
    this month's left as a draft, and the review scan run, so every screen opens on real data. Idempotent."""
    from doudi.accounts.models import User
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import Payroll
    from doudi.payments.services import payroll_create, payroll_transition
    from doudi.regions.models import Region
    from doudi.reviews.services.scan import review_scan

    counts = {"payrolls": 0, "reviews": 0}
    users = {u.username: u for u in User.objects.filter(username__in=["city", "county", "admin", "county_b",
                                                                      "city_b"])}
    if len(users) < 5 or Payroll.objects.exists():
        return counts
    maker = users["city"]  # the city bureau makes the payrolls; a second person checks them (maker-checker)
    months = [_month_back(as_of, 2), _month_back(as_of, 1), as_of.replace(day=1)]
    for county in Region.objects.filter(level="county", code__startswith=CITY_PREFIX).order_by("code"):
        # Maker ≠ reviewer ≠ approver (issue 9): the county's two officers check the city's payroll, or for other
        # counties the city administrator reviews and the city's approver approves.
        own = county.code.startswith(_grant_prefix(users["county"]))
        checker, approver = (users["county"], users["county_b"]) if own else (users["admin"], users["city_b"])
        for month in months:
            for program in ("dibao", "dibao_single", "tekun"):
                payroll = payroll_create(actor=maker, region_code=county.code, program=program, month=month)
                payroll_generate(payroll_id=payroll.pk, actor=maker)
                counts["payrolls"] += 1
                if month == months[-1]:
                    continue  # this month's payroll stays a draft for the demo's checker to review
                payroll_transition(actor=checker, payroll_id=payroll.pk, to="reviewed")
                payroll_transition(actor=approver, payroll_id=payroll.pk, to="approved")
        scan = review_scan(actor=maker, region_code=county.code, as_of=as_of)
        counts["reviews"] += scan.created_count
    if stdout:
        stdout.write(
            f"  发放名册 {counts['payrolls']} 份（前两月已审批，本月为草稿待审核）；核查任务 {counts['reviews']} 项"
        )
    return counts


def _month_back(day: dt.date, months: int) -> dt.date:
    year, month = day.year, day.month - months
    while month <= 0:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


def _grant_prefix(user) -> str:
    grant = user.grants.select_related("region").first()
    return grant.region.prefix if grant else "-"
