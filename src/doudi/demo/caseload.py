"""The demo's open caseload: applications at every step of the workflow, temporary assistance paid from the reserve
fund, and referrals waiting in other departments' inboxes — all made through the real services, as the demo users.

Households are the ones the rules engine finds eligible but that ``enrol`` left undiscovered (``ENROLLED_SHARE``),
plus a few it finds ineligible (for a rejection with the engine's reasons). The choice is deterministic for a
population; the dates are working days before the day the demo is built, so deadlines and overdue flags are live.

Most services take a ``today`` / ``as_of`` and get one. A few only read the clock (``timezone.localdate()`` /
``timezone.now()``): intake (submission time, application number), the referral deadline, the authorisation and
investigation date checks, and every ``auto_now_add`` timestamp. So that an application accepted three weeks ago was
also *submitted* three weeks ago, and so that one referral can be overdue, each historical step runs with Django's
clock set to its day (``_Clock``). Only this demo step does that; nothing else is patched.

Idempotent: nothing happens when the demo already has cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doudi.demo.population import CITY_CODE, demo_households
from doudi.demo.regions import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A

CITY_PREFIX = CITY_CODE[:4]
RESERVE_FEN = 6_000_000  # 60 000 yuan: 奋斗镇's 临时救助备用金
EARLIEST = 22  # working days back of the oldest event; eligibility is checked at both ends of the window
STAFF = {
    TOWNSHIP_A: ("王建华", "刘秀英"),
    TOWNSHIP_B: ("赵志刚", "孙丽娟"),
    "county": ("陈海峰", "周雪梅"),
}


# --- the clock ----------------------------------------------------------------------------------------------------


class _Clock:
    """Runs a block "on" a past day: ``timezone.now()`` returns that day, 09:00 plus one second per call."""

    def __init__(self, today: dt.date):
        self.today = today
        self._ticks = itertools.count(1)

    @contextmanager
    def at(self, day: dt.date) -> Iterator[None]:
        if day >= self.today:
            yield  # today's events happen now, on the real clock
            return
        base = dt.datetime.combine(day, dt.time(9, 0))
        if settings.USE_TZ:
            base = timezone.make_aware(base)

        def now():
            return base + dt.timedelta(seconds=next(self._ticks))

        with mock.patch.object(timezone, "now", now):
            yield


def _back(today: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``today`` (0: today)."""
    from doudi.core.workdays import _exceptions, is_working_day

    exceptions = _exceptions(today - dt.timedelta(days=n * 3 + 21), today)
    day, left = today, n
    while left > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day, exceptions):
            left -= 1
    return day


# --- choosing households ------------------------------------------------------------------------------------------


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
    inputs = household_inputs(household_snapshots(households, as_of))  # skips households without members
    return {by_number[data["id"]].pk: decision for data, decision in decide_by_area(inputs, profile, as_of)}


def _pools(township: str, today: dt.date, exclude: set[int]) -> Pools:
    from doudi.benefits.models import Entitlement
    from doudi.demo.enrol import _enrolled

    households = [
        h for h in demo_households().filter(region__code__startswith=township[:9]).select_related("region")
        .exclude(pk__in=Entitlement.objects.values("household_id")).order_by("number")
        if not _enrolled(h.number) and h.pk not in exclude
    ]
    late, early = _decisions(households, today), _decisions(households, _back(today, EARLIEST))
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


def _head(household):
    from doudi.registry.choices import Relationship
    from doudi.registry.models import Membership

    members = Membership.objects.filter(household=household, valid_to__isnull=True).select_related("person")
    first = members.filter(relationship=Relationship.HEAD).first() or members.order_by("id").first()
    return first.person


# --- driving one case ---------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    today: dt.date
    clock: _Clock
    users: dict
    counts: dict
    skipped: list = field(default_factory=list)
    days: dict = field(default_factory=dict)

    def day(self, n: int) -> dt.date:
        if n not in self.days:
            self.days[n] = _back(self.today, n)
        return self.days[n]

    def move(self, actor, case, to_state: str, day: dt.date, **data):
        """``case_transition`` on ``day``: its own ``today`` and, for the rows it stamps, the clock."""
        from doudi.cases.services import case_transition

        with self.clock.at(day):
            return case_transition(actor=actor, case=case, to_state=to_state, today=day, **data)


@dataclass
class Plan:
    """One application: who submits it, how far it goes, and ``start`` = working days ago it was submitted."""

    kind: str  # pool to draw from: dibao, tekun, eligible, ineligible, any
    stop: str  # the state it is left in
    start: int
    channel: str = "window"
    village: str | None = None
    program: str = "dibao"
    relatives: bool = False
    investigated: bool = False
    missing: tuple[str, ...] = ()
    note: str = ""


def _investigate(ctx: Ctx, actor, case, day: dt.date, who: str, findings: str):
    from doudi.cases import services
    from doudi.cases.choices import InvestigationKind

    names = STAFF[who]
    with ctx.clock.at(day):
        return services.investigation_record(
            actor=actor, case=case, kind=InvestigationKind.HOME_VISIT, visited_on=day, family_signed=True,
            investigators=[{"name": names[0], "signed": True}, {"name": names[1], "signed": True}], findings=findings,
        )


def _authorise(ctx: Ctx, actor, case, day: dt.date) -> None:
    from doudi.verification import services as verification
    from doudi.verification.selectors import case_includes_supporters, required_signers

    supporters = case_includes_supporters(case)
    with ctx.clock.at(day):
        for signer in required_signers(household=case.household, as_of=day, include_supporters=supporters):
            verification.authorisation_record(actor=actor, household=case.household, person=signer.person,
                                              method="e_signature", signed_at=day,
                                              signature_ref=f"ES{day:%Y%m%d}{signer.person.pk:07d}")
            ctx.counts["authorisations"] += 1


def _standard(ctx: Ctx, township: str, plan: Plan, household) -> object:
    """Submit and drive one 低保/特困 (or 支出型临时救助) application to ``plan.stop``, each step on its own day."""
    from doudi.cases import services
    from doudi.cases.choices import State
    from doudi.eligibility.models import Evaluation
    from doudi.eligibility.selectors import program_outcome
    from doudi.registry.models import Membership
    from doudi.relatives.choices import CadreRole, Kinship
    from doudi.relatives.services import cadre_relative_add
    from doudi.verification import services as verification

    t = ctx.move
    owner = ctx.users[township]
    county = ctx.users["county"]
    s = plan.start
    head = _head(household)
    submitter = ctx.users["village"] if plan.channel == "village_agent" else owner
    if plan.relatives:
        # A member is the sister or brother of a village committee member: 近亲属备案 (S1 Art 11).
        relative = (Membership.objects.filter(household=household, valid_to__isnull=True).select_related("person")
                    .order_by("-id").first().person)
        with ctx.clock.at(ctx.day(s + 3)):
            cadre_relative_add(
                actor=owner, region=household.region, cadre_name=f"{relative.name[0]}立新",
                cadre_role=CadreRole.VILLAGE_COMMITTEE, relative_name=relative.name,
                relative_id_number=relative.id_number, kinship=Kinship.SIBLING,
            )
    extra = {}
    if plan.program == "temporary":
        extra["temporary"] = {"type": "expenditure", "cause": "serious_illness", "requested_fen": 1_200_000,
                              "stages": 2, "occurred_on": ctx.day(s + 10)}
    with ctx.clock.at(ctx.day(s)):
        app = services.application_submit(
            actor=submitter, household=household, applicant=head, programs=[plan.program], channel=plan.channel,
            commitment_signed=True, statement=plan.note,
            entrustment="申请人行动不便，委托村协理员代办（委托书已签字）" if plan.channel == "village_agent" else "",
            **extra,
        )
    case = app.cases.get()
    if plan.stop == State.SUBMITTED:
        return case
    if plan.stop == State.RETURNED:
        return t(owner, case, State.RETURNED, ctx.day(s - 1),
                 missing_items=list(plan.missing), reason="材料不全，一次性告知")
    case = t(owner, case, State.ACCEPTED, ctx.day(s - 1))
    if plan.stop == State.ACCEPTED:
        return case
    if plan.stop == State.TERMINATED:
        return t(owner, case, State.TERMINATED, ctx.day(s - 3),
                 reason="申请人书面申请撤回（家庭成员已稳定就业）")
    _authorise(ctx, owner, case, ctx.day(s - 1))
    with ctx.clock.at(ctx.day(s - 2)):
        request = verification.verification_request(
            actor=owner, household=household, application_id=app.pk, as_of=ctx.day(s - 2),
            include_supporters=plan.program == "tekun",
        )
    ctx.counts["verification_requests"] += 1
    case = t(owner, case, State.VERIFYING, ctx.day(s - 2))
    if plan.stop == State.VERIFYING:
        return case
    case = t(owner, case, State.INVESTIGATING, ctx.day(s - 3))
    if plan.program != "tekun":
        with ctx.clock.at(ctx.day(s - 3)):
            verification.verification_run(actor=owner, request=request)
            services.verification_record(actor=owner, case=case, completed_on=ctx.day(s - 3),
                                         summary="各部门核对结果与申报一致")
    if plan.stop == State.INVESTIGATING and not plan.investigated:
        return case
    _investigate(ctx, owner, case, ctx.day(s - 4), township, "家庭成员均在家，居住条件较差，收入来源与申报一致")
    if plan.relatives:
        _investigate(ctx, county, case, ctx.day(s - 4), "county", "近亲属备案案件，县级入户核查，情况属实")
    if plan.stop == State.INVESTIGATING:
        return case
    data = {"approved_fen": 1_000_000} if plan.program == "temporary" else {}
    case = t(owner, case, State.TOWNSHIP_REVIEWED, ctx.day(s - 5), reason="初审通过",
             **data)
    if plan.stop == State.TOWNSHIP_REVIEWED:
        return case
    if plan.stop == State.DECIDED_REJECTED:
        evaluation = Evaluation.objects.filter(household=household).order_by("-id").first()
        reasons = program_outcome(evaluation, "dibao").reasons if evaluation else []
        case = t(county, case, State.DECIDED_REJECTED, ctx.day(s - 7),
                 reasons=reasons or ["家庭人均收入高于当地低保标准"])
        with ctx.clock.at(ctx.day(s - 8)):
            return services.rejection_notice_issue(actor=owner, case=case, issued_on=ctx.day(s - 8))
    notice_day = ctx.day(s - 6)
    case = t(owner, case, State.PUBLIC_NOTICE, notice_day)
    if plan.stop == State.PUBLIC_NOTICE:
        return case
    if plan.stop == State.OBJECTION:
        return t(owner, case, State.OBJECTION, notice_day + dt.timedelta(days=2),
                 content="村民反映该户有一辆小型货车未申报，请核实")
    decide_on = notice_day + dt.timedelta(days=9)
    return t(county, case, State.DECIDED_APPROVED, decide_on, reason="公示期满无异议")


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


def _assign(pools: Pools, plans: tuple[Plan, ...]) -> list[tuple[Plan, object]]:
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


# --- temporary assistance, the applicant, referrals ---------------------------------------------------------------


def _serious_illness_households(township: str) -> list:
    from doudi.registry.models import Illness, Membership

    people = Illness.objects.filter(serious=True, valid_to__isnull=True).values("person_id")
    return list(demo_households().filter(
        region__code__startswith=township[:9],
        pk__in=Membership.objects.filter(person_id__in=people, valid_to__isnull=True).values("household_id"),
    ).order_by("number"))


def _temporary(ctx: Ctx, pools: Pools) -> None:
    from doudi.cases import services
    from doudi.cases.choices import State
    from doudi.regions.models import Region
    from doudi.temporary import services as funds

    owner = ctx.users[TOWNSHIP_A]
    with ctx.clock.at(ctx.day(EARLIEST)):
        fund = funds.fund_open(actor=owner, region=Region.objects.get(code=TOWNSHIP_A))
        funds.fund_top_up(actor=owner, fund=fund, amount_fen=RESERVE_FEN, note="区财政拨付临时救助备用金")
    # 支出型: a serious illness, 12 000 yuan asked, 10 000 approved at first review; notice over, the county decides.
    sick = [h for h in _serious_illness_households(TOWNSHIP_A) if h.pk not in pools.used]
    household = sick[0] if sick else pools.take("any")
    if household is not None:
        pools.used.add(household.pk)
        plan = Plan("any", "public_notice", 14, program="temporary", note="家人确诊重病，住院自付费用负担重")
        _standard(ctx, TOWNSHIP_A, plan, household)
    # 急难型: a house fire this morning; the township pays 3 000 yuan from the reserve at once (先行救助), the
    # signatures and seals follow (paperwork pending).
    household = pools.take("any")
    if household is None:
        return
    app = services.application_submit(
        actor=owner, household=household, applicant=_head(household), programs=["temporary"], channel="hotline",
        commitment_signed=True, statement="凌晨住房失火，衣物口粮被烧毁",
        temporary={"type": "emergency", "cause": "fire", "requested_fen": 300_000, "occurred_on": ctx.today},
    )
    ctx.move(owner, app.cases.get(), State.ADVANCE_PAID, ctx.today, reason="火灾，先行救助")


def _applicant(ctx: Ctx) -> None:
    """The ``applicant`` login applies from the phone: 支出型临时救助 if the household already has 低保, else 低保."""
    from doudi.benefits.models import Entitlement
    from doudi.cases import services
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
              "temporary": {"type": "expenditure", "cause": "serious_illness", "requested_fen": 800_000,
                            "occurred_on": ctx.day(6)}}
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

    def send(actor, household, need, detail, n, then=()):
        if household is None:
            return
        with ctx.clock.at(ctx.day(n)):
            ref = referrals.referral_create(actor=actor, household=household, need_type=need, need_detail=detail)
        ctx.counts["referrals"] += 1
        for status, days_later, answer in then:
            with ctx.clock.at(ctx.day(n - days_later)):
                ref = referrals.referral_transition(actor=medical, referral=ref, to_status=status, answer=answer)

    sick_a, sick_b = _serious_illness_households(TOWNSHIP_A), _serious_illness_households(TOWNSHIP_B)
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
             "medical": "medical", "applicant": "applicant"}
    users = {names[u.username]: u for u in User.objects.filter(username__in=names)}
    if demo_cases().exists():
        if stdout:
            stdout.write("  已有演示案件，跳过 / demo cases exist, skipped")
        return counts
    if len(users) < len(names) or not demo_households().exists():
        return counts
    started = time.monotonic()
    today = today or timezone.localdate()
    ctx = Ctx(today=today, clock=_Clock(today), users=users, counts=counts)
    with transaction.atomic():
        applicant = users["applicant"].person_id
        exclude = set(demo_households().filter(memberships__person_id=applicant).values_list("pk", flat=True))
        used: set[int] = set(exclude)
        for township, plans in ((TOWNSHIP_A, S_A), (TOWNSHIP_B, S_B)):
            pools = _pools(township, today, used)
            pools.used = used
            for plan, household in _assign(pools, plans):
                if plan.stop == "temporary_expenditure":
                    _attempt(ctx, _temporary, ctx, pools)
                elif household is not None:
                    _attempt(ctx, _standard, ctx, township, plan, household)
        _attempt(ctx, _applicant, ctx)
        _attempt(ctx, _referrals, ctx, used)
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
    PROTECT foreign keys accept: payments → fund movements → funds; decisions, appeals, appraisals → cases →
    applications; referrals, verification requests, authorisations, the relatives register."""
    from django.apps import apps

    from doudi.cases.models import Appeal, Application, Decision, DemocraticAppraisal
    from doudi.referrals.models import Referral
    from doudi.relatives.models import CadreRelative
    from doudi.temporary.models import FundMovement, ReserveFund, TemporaryPayment
    from doudi.verification.models import Authorisation, Discrepancy, VerificationRequest

    households = demo_households()
    cases = demo_cases()
    applications = Application.objects.filter(Q(region__code__startswith=CITY_PREFIX) | Q(household__in=households))
    funds = ReserveFund.objects.filter(region__code__startswith=CITY_PREFIX)
    TemporaryPayment.objects.filter(Q(case__in=cases) | Q(movement__fund__in=funds)).delete()
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
