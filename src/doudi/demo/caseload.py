"""The demo's open caseload: applications at every step of the workflow, temporary assistance paid from the reserve
fund, and referrals waiting in other departments' inboxes — all made through the real services, as the demo users.

Which households, and the plan of each township's caseload: ``casepools``. Driving one case through the services on
past days: ``caseflow``. The dates are working days before the day the demo is built, so deadlines and overdue flags
are live.

Idempotent: nothing happens when the demo already has cases.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doudi.demo.caseflow import Clock, Ctx, Plan, drive, head_of
from doudi.demo.casepools import EARLIEST, S_A, S_B, Pools, assign, serious_illness_households, township_pools
from doudi.demo.medical import demo_medical, demo_payees
from doudi.demo.population import CITY_CODE, demo_households
from doudi.demo.regions import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A

if TYPE_CHECKING:
    from doudi.accounts.models import User

CITY_PREFIX = CITY_CODE[:4]
RESERVE_FEN = 6_000_000  # 60 000 yuan: 奋斗镇's 临时救助备用金


# --- temporary assistance, the applicant, referrals ---------------------------------------------------------------


def _temporary(ctx: Ctx, pools: Pools) -> None:
    from doudi.cases import services
    from doudi.cases.choices import State
    from doudi.cases.workflow import TemporaryDetails
    from doudi.regions.models import Region
    from doudi.temporary import services as temporary

    owner = ctx.users[TOWNSHIP_A]
    with ctx.clock.at(ctx.day(EARLIEST)):
        fund = temporary.fund_open(actor=owner, region=Region.objects.get(code=TOWNSHIP_A))
        top_up = temporary.fund_top_up(actor=owner, fund=fund, amount_fen=RESERVE_FEN, note="区财政拨付临时救助备用金")
        temporary.fund_top_up_confirm(actor=ctx.users[f"{TOWNSHIP_A}:b"], top_up=top_up)  # a second person
    # 支出型: a serious illness, 12 000 yuan asked, 10 000 approved at first review; notice over, the county decides.
    sick = [h for h in serious_illness_households(TOWNSHIP_A) if h.pk not in pools.used]
    household = sick[0] if sick else pools.take("any")
    if household is not None:
        pools.used.add(household.pk)
        plan = Plan("any", "public_notice", 14, program="temporary", note="家人确诊重病，住院自付费用负担重")
        drive(ctx, TOWNSHIP_A, plan, household)
    # 急难型: a house fire this morning; the township pays 2 500 yuan from the reserve at once (先行救助, within the
    # profile's township limit), the signatures and seals follow (paperwork pending).
    household = pools.take("any")
    if household is None:
        return
    app = services.application_submit(
        actor=owner, household=household, applicant=head_of(household), programs=["temporary"], channel="hotline",
        commitment_signed=True, statement="凌晨住房失火，衣物口粮被烧毁",
        temporary=TemporaryDetails(type="emergency", cause="fire", requested_fen=250_000, occurred_on=ctx.today),
    )
    ctx.move(owner, app.cases.get(), State.ADVANCE_PAID, ctx.today, reason="火灾，先行救助")


def _applicant(ctx: Ctx) -> None:
    """The ``applicant`` login applies from the phone: 支出型临时救助 if the household already has 低保, else 低保."""
    from doudi.benefits.models import Entitlement
    from doudi.cases import services
    from doudi.cases.workflow import TemporaryDetails
    from doudi.registry.models import Membership

    user = ctx.users.get("applicant")
    if user is None or user.person_id is None:
        return
    membership = Membership.objects.filter(person_id=user.person_id, valid_to__isnull=True).first()
    if membership is None:
        return
    household = membership.household
    kw: dict = {"programs": ["dibao"], "statement": "家里收入低，申请低保"}
    if Entitlement.objects.filter(household=household).exists():
        kw = {"programs": ["temporary"], "statement": "孩子住院手术，自付部分负担不起",
              "temporary": TemporaryDetails(type="expenditure", cause="serious_illness", requested_fen=800_000,
                                            occurred_on=ctx.day(6))}
    with ctx.clock.at(ctx.day(1)):
        services.application_submit(actor=user, household=household, applicant=user.person, channel="self_service",
                                    commitment_signed=True, **kw)


def _referrals(ctx: Ctx, exclude: set[int]) -> None:
    from doudi.referrals import services as referrals
    from doudi.registry.models import Employment, Membership, Schooling

    medical = ctx.users["medical"]
    a, b = ctx.users[TOWNSHIP_A], ctx.users[TOWNSHIP_B]

    def first(households, skip=()):
        return next((h for h in households if h.pk not in skip), None)

    def send(actor: User, household, need, detail, n, then=()):
        if household is None:
            return
        with ctx.clock.at(ctx.day(n)):
            ref = referrals.referral_create(actor=actor, household=household, need_type=need, need_detail=detail)
        ctx.counts["referrals"] += 1
        for status, days_later, answer in then:
            with ctx.clock.at(ctx.day(n - days_later)):
                ref = referrals.referral_transition(actor=medical, referral=ref, to_status=status, answer=answer)

    sick_a, sick_b = serious_illness_households(TOWNSHIP_A), serious_illness_households(TOWNSHIP_B)
    send(a, first(sick_a), "medical", "户主患尿毒症，长期透析，自付费用高，申请医疗救助", 4,
         then=[("received", 1, "")])
    send(b, first(sick_b), "medical", "家庭成员确诊恶性肿瘤，住院自付部分负担重", 9,
         then=[("received", 1, ""), ("answered", 4, "已纳入医疗救助，住院自付费用按70%比例救助，年度限额3万元")])
    send(a, first(sick_a[1:]), "medical", "慢性病门诊费用高，申请门诊慢特病救助", 14)  # never received: overdue
    send(b, first(sick_b[1:]), "medical", "低保对象住院，申请一站式结算", 2)
    recipients = demo_households().filter(entitlements__isnull=False).distinct().order_by("number")
    pupils = Membership.objects.filter(
        valid_to__isnull=True,
        person_id__in=Schooling.objects.filter(valid_to__isnull=True, level__in=["compulsory", "high_school"])
        .values("person_id")).values("household_id")
    send(a, first(recipients.filter(region__code__startswith=TOWNSHIP_A[:9], pk__in=pupils), exclude),
         "education", "低保家庭子女在读，申请教育资助（学杂费减免、生活补助）", 3)
    send(a, first(recipients.filter(region_id=VILLAGE_A), exclude), "housing",
         "农村低保户，住房年久失修，申请危房改造", 6)
    jobless = Membership.objects.filter(
        valid_to__isnull=True,
        person_id__in=Employment.objects.filter(valid_to__isnull=True, status="unemployed").values("person_id"),
    ).values("household_id")
    send(b, first(recipients.filter(region__code__startswith=TOWNSHIP_B[:9], pk__in=jobless), exclude),
         "employment", "家中有劳动能力的失业人员，申请就业援助和技能培训", 2)


# --- the step -----------------------------------------------------------------------------------------------------


def demo_cases():
    from doudi.cases.models import Case

    return Case.objects.filter(region__code__startswith=CITY_PREFIX)


def build_demo_caseload(*, today: dt.date | None = None, stdout=None) -> dict[str, int]:
    """Create the demo's open cases, reserve fund and referrals through the services. Skipped if cases exist."""
    from doudi.accounts.models import User

    counts = {"cases": 0, "referrals": 0, "authorisations": 0, "verification_requests": 0, "states": 0}
    names = {"township": TOWNSHIP_A, "township2": TOWNSHIP_B, "village": "village", "county": "county",
             "medical": "medical", "applicant": "applicant", "township_b": f"{TOWNSHIP_A}:b",
             "township2_b": f"{TOWNSHIP_B}:b", "county_b": "county:b"}
    users = {names[u.username]: u for u in User.objects.filter(username__in=names)}
    if demo_cases().exists():
        if stdout:
            stdout.write("  已有演示案件，跳过 / demo cases exist, skipped")
        return counts
    if len(users) < len(names) or not demo_households().exists():
        return counts
    started = time.monotonic()
    today = today or timezone.localdate()
    ctx = Ctx(today=today, clock=Clock(today), users=users, counts=counts)
    with transaction.atomic():
        applicant = users["applicant"].person_id
        exclude = set(demo_households().filter(memberships__person_id=applicant).values_list("pk", flat=True))
        used: set[int] = set(exclude)
        for township, plans in ((TOWNSHIP_A, S_A), (TOWNSHIP_B, S_B)):
            pools = township_pools(township, today, used)
            pools.used = used
            for plan, household in assign(pools, plans):
                if plan.stop == "temporary_expenditure":
                    _attempt(ctx, _temporary, ctx, pools)
                elif household is not None:
                    _attempt(ctx, drive, ctx, township, plan, household)
        _attempt(ctx, _applicant, ctx)
        _attempt(ctx, _referrals, ctx, used)
        _attempt(ctx, demo_medical, ctx, TOWNSHIP_A)
        _attempt(ctx, demo_payees, ctx)
    from doudi.referrals.models import Referral

    counts["cases"] = demo_cases().count()
    counts["referrals"] = Referral.objects.filter(region__code__startswith=CITY_PREFIX).count()
    counts["states"] = demo_cases().values("state").distinct().count()
    if stdout:
        stdout.write(
            f"  办理中的申请 {counts['cases']} 件（{counts['states']} 种状态，含逾期、公示异议、近亲属备案、特困），"
            f"备用金 {RESERVE_FEN // 1_000_000} 万元、先行救助 1 笔，部门转办 {counts['referrals']} 件 / "
            f"{time.monotonic() - started:.1f} s"
        )
        for message in ctx.skipped:
            stdout.write(f"  未能办理 / skipped: {message}")
    return counts


def _attempt(ctx: Ctx, fn, *args) -> None:
    """One application (or the referrals) in a savepoint: a refusal by a service — say the engine no longer finds a
    household eligible on the day of the decision — leaves that one out and the demo goes on."""
    from doudi.core.errors import DomainError

    try:
        with transaction.atomic():
            fn(*args)
    except DomainError as exc:
        ctx.skipped.append(str(getattr(exc, "message", exc)))


def delete_demo_caseload() -> None:
    """Remove what ``build_demo_caseload`` (and anyone using the demo) did to the demo city's cases, in an order the
    PROTECT foreign keys accept: payments, top-ups → fund movements → funds; decisions, appeals, appraisals → cases →
    applications; referrals, verification requests, authorisations, the relatives register."""
    from django.apps import apps

    from doudi.cases.models import Appeal, Application, Decision, DemocraticAppraisal
    from doudi.medical.models import MedicalClaim
    from doudi.referrals.models import Referral
    from doudi.relatives.models import CadreRelative
    from doudi.temporary.models import FundMovement, FundTopUp, ReserveFund, TemporaryPayment
    from doudi.verification.models import Authorisation, Discrepancy, VerificationRequest

    households = demo_households()
    MedicalClaim.objects.filter(household__in=households).delete()
    cases = demo_cases()
    applications = Application.objects.filter(Q(region__code__startswith=CITY_PREFIX) | Q(household__in=households))
    funds = ReserveFund.objects.filter(region__code__startswith=CITY_PREFIX)
    TemporaryPayment.objects.filter(Q(case__in=cases) | Q(movement__fund__in=funds)).delete()
    FundTopUp.objects.filter(fund__in=funds).delete()
    FundMovement.objects.filter(Q(fund__in=funds) | Q(case__in=cases)).delete()
    funds.delete()
    Appeal.objects.filter(case__in=cases).delete()
    DemocraticAppraisal.objects.filter(case__in=cases).delete()
    Decision.objects.filter(case__in=cases).delete()
    try:
        attachment = apps.get_model("cases", "Attachment")
    except LookupError:
        attachment = None
    if attachment is not None:
        attachment.objects.filter(application__in=applications).delete()
    cases.delete()
    applications.delete()
    Referral.objects.filter(Q(region__code__startswith=CITY_PREFIX) | Q(household__in=households)).delete()
    requests = VerificationRequest.objects.filter(household__in=households)
    Discrepancy.objects.filter(report__request__in=requests).delete()
    requests.delete()
    Authorisation.objects.filter(household__in=households).delete()
    CadreRelative.objects.filter(region__code__startswith=CITY_PREFIX).delete()
