"""Driving one demo case through the real services, each step on its own past day.

Most services take a ``today`` / ``as_of`` and get one. A few only read the clock (``timezone.localdate()`` /
``timezone.now()``): intake (submission time, application number), the referral deadline, the authorisation and
investigation date checks, and every ``auto_now_add`` timestamp. So that an application accepted three weeks ago was
also *submitted* three weeks ago, and so that one referral can be overdue, each historical step runs with Django's
clock set to its day (``Clock``). Only the demo does that; nothing else is patched.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from unittest import mock

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from doudi.accounts.models import User


class Clock:
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


def working_days_back(today: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``today`` (0: today)."""
    from doudi.core.workdays import _exceptions, is_working_day

    exceptions = _exceptions(today - dt.timedelta(days=n * 3 + 21), today)
    day, left = today, n
    while left > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day, exceptions):
            left -= 1
    return day


def head_of(household):
    from doudi.registry.choices import Relationship
    from doudi.registry.models import Membership

    members = Membership.objects.filter(household=household, valid_to__isnull=True).select_related("person")
    first = members.filter(relationship=Relationship.HEAD).first() or members.order_by("id").first()
    return first.person


@dataclass
class Ctx:
    today: dt.date
    clock: Clock
    users: dict
    counts: dict
    skipped: list = field(default_factory=list)
    days: dict = field(default_factory=dict)

    def day(self, n: int) -> dt.date:
        if n not in self.days:
            self.days[n] = working_days_back(self.today, n)
        return self.days[n]

    def move(self, actor: User, case, to_state: str, day: dt.date, reason: str = "", **data):
        """``case_transition`` on ``day``: its own ``today`` and, for the rows it stamps, the clock."""
        from doudi.cases.services import case_transition
        from doudi.cases.workflow import StepData

        with self.clock.at(day):
            return case_transition(actor=actor, case=case, to_state=to_state, reason=reason, today=day,
                                   data=StepData(**data))


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


def _investigate(ctx: Ctx, actor: User, case, day: dt.date, who: str, findings: str):
    from doudi.cases import services
    from doudi.cases.choices import InvestigationKind

    # Two investigators, each an account that signs for itself (S1 Art 16): the recorder and the office's second
    # person (``ctx.users[f"{who}:b"]``); a county visit is recorded by the county's second person with the
    # township caseworker, so the county officer who approves never investigated the case (maker-checker).
    other = ctx.users[f"{who}:b"] if who != "county" else ctx.users[f"{case.region_id[:9]}000:b"]
    with ctx.clock.at(day):
        inv = services.investigation_record(
            actor=actor, case=case, kind=InvestigationKind.HOME_VISIT, visited_on=day, family_signed=True,
            investigators=[actor.pk, other.pk], findings=findings,
        )
        services.investigation_sign(actor=other, investigation=inv)
    return inv


def _authorise(ctx: Ctx, actor: User, case, day: dt.date) -> None:
    from doudi.verification import services as verification
    from doudi.verification.selectors import case_includes_supporters, required_signers

    supporters = case_includes_supporters(case)
    with ctx.clock.at(day):
        for signer in required_signers(household=case.household, as_of=day, include_supporters=supporters):
            verification.authorisation_record(actor=actor, household=case.household, person=signer.person,
                                              method="e_signature", signed_at=day,
                                              signature_ref=f"ES{day:%Y%m%d}{signer.person.pk:07d}")
            ctx.counts["authorisations"] += 1


def drive(ctx: Ctx, township: str, plan: Plan, household) -> object:
    """Submit and drive one 低保/特困 (or 支出型临时救助) application to ``plan.stop``, each step on its own day:
    intake, then verification, then review and decision, each phase stopping where the plan does."""
    case = _submit(ctx, township, plan, household)
    for phase in (_intake, _verification, _review):
        case, done = phase(ctx, township, plan, case)
        if done:
            break
    return case


def _submit(ctx: Ctx, township: str, plan: Plan, household):
    from doudi.cases import services
    from doudi.registry.models import Membership
    from doudi.relatives.choices import CadreRole, Kinship
    from doudi.relatives.services import cadre_relative_add

    owner, s = ctx.users[township], plan.start
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
        from doudi.cases.workflow import TemporaryDetails

        extra["temporary"] = TemporaryDetails(type="expenditure", cause="serious_illness", requested_fen=1_200_000,
                                              stages=2, occurred_on=ctx.day(s + 10))
    with ctx.clock.at(ctx.day(s)):
        app = services.application_submit(
            actor=submitter, household=household, applicant=head_of(household), programs=[plan.program],
            channel=plan.channel, commitment_signed=True, statement=plan.note,
            entrustment="申请人行动不便，委托村协理员代办（委托书已签字）" if plan.channel == "village_agent" else "",
            **extra,
        )
    return app.cases.get()


def _intake(ctx: Ctx, township: str, plan: Plan, case) -> tuple[object, bool]:
    from doudi.cases.choices import State

    t, owner, s = ctx.move, ctx.users[township], plan.start
    if plan.stop == State.SUBMITTED:
        return case, True
    if plan.stop == State.RETURNED:
        return t(owner, case, State.RETURNED, ctx.day(s - 1), missing_items=list(plan.missing),
                 reason="材料不全，一次性告知"), True
    case = t(owner, case, State.ACCEPTED, ctx.day(s - 1))
    if plan.stop == State.ACCEPTED:
        return case, True
    if plan.stop == State.TERMINATED:
        return t(owner, case, State.TERMINATED, ctx.day(s - 3), reason="申请人书面申请撤回（家庭成员已稳定就业）"), True
    return case, False


def _verification(ctx: Ctx, township: str, plan: Plan, case) -> tuple[object, bool]:
    from doudi.cases import services
    from doudi.cases.choices import State
    from doudi.verification import services as verification

    t, owner, s = ctx.move, ctx.users[township], plan.start
    _authorise(ctx, owner, case, ctx.day(s - 1))
    with ctx.clock.at(ctx.day(s - 2)):
        request = verification.verification_request(
            actor=owner, household=case.household, application_id=case.application_id, as_of=ctx.day(s - 2),
            include_supporters=plan.program == "tekun",
        )
    ctx.counts["verification_requests"] += 1
    case = t(owner, case, State.VERIFYING, ctx.day(s - 2))
    if plan.stop == State.VERIFYING:
        return case, True
    case = t(owner, case, State.INVESTIGATING, ctx.day(s - 3))
    if plan.program != "tekun":
        with ctx.clock.at(ctx.day(s - 3)):
            verification.verification_run(actor=owner, request=request)
            services.verification_record(actor=owner, case=case, completed_on=ctx.day(s - 3),
                                         summary="各部门核对结果与申报一致")
    return case, plan.stop == State.INVESTIGATING and not plan.investigated


def _review(ctx: Ctx, township: str, plan: Plan, case) -> tuple[object, bool]:
    from doudi.cases import services
    from doudi.cases.choices import State
    from doudi.eligibility.models import Evaluation
    from doudi.eligibility.selectors import program_outcome

    t, owner, county, s = ctx.move, ctx.users[township], ctx.users["county"], plan.start
    _investigate(ctx, owner, case, ctx.day(s - 4), township, "家庭成员均在家，居住条件较差，收入来源与申报一致")
    if plan.relatives:
        _investigate(ctx, ctx.users["county:b"], case, ctx.day(s - 4), "county",
                     "近亲属备案案件，县级入户核查，情况属实")
    if plan.stop == State.INVESTIGATING:
        return case, True
    data = {"approved_fen": 1_000_000} if plan.program == "temporary" else {}
    case = t(owner, case, State.TOWNSHIP_REVIEWED, ctx.day(s - 5), reason="初审通过", **data)
    if plan.stop == State.TOWNSHIP_REVIEWED:
        return case, True
    if plan.stop == State.DECIDED_REJECTED:
        evaluation = Evaluation.objects.filter(household=case.household).order_by("-id").first()
        reasons = program_outcome(evaluation, program="dibao").reasons if evaluation else []
        reasons = reasons or ["家庭人均收入高于当地低保标准"]
        case = t(county, case, State.DECIDED_REJECTED, ctx.day(s - 7), reasons=reasons)
        with ctx.clock.at(ctx.day(s - 8)):
            return services.rejection_notice_issue(actor=owner, case=case, issued_on=ctx.day(s - 8)), True
    notice_day = ctx.day(s - 6)
    case = t(owner, case, State.PUBLIC_NOTICE, notice_day)
    if plan.stop == State.PUBLIC_NOTICE:
        return case, True
    if plan.stop == State.OBJECTION:
        return t(owner, case, State.OBJECTION, notice_day + dt.timedelta(days=2),
                 content="村民反映该户有一辆小型货车未申报，请核实"), True
    return t(county, case, State.DECIDED_APPROVED, notice_day + dt.timedelta(days=9), reason="公示期满无异议"), True
