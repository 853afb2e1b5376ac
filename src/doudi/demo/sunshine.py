"""The demo's sunny-system data: hotline lines, tickets at every stage (some overdue and escalated, one report that
opened a review, one help request linked to its household), a random line check, and two 双随机 inspection rounds
(one in progress, one published). Everything goes through the real services as the demo users; only the receipt
times of old tickets are moved back afterwards so the overdue list and escalation show something. Idempotent: nothing
happens when the demo city already has tickets.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from doudi.demo.population import CITY_CODE
from doudi.demo.regions import COUNTY_A, TOWNSHIP_A, TOWNSHIP_B

CITY_PREFIX = CITY_CODE[:4]
SEED = 20261125
LINES = (  # (region, label, number, hours): invented numbers of the demo city
    (CITY_CODE, "呼伦贝尔市民政局社会救助热线", "0470-8888012", "工作日 8:30—17:30"),
    (CITY_CODE, "政务服务便民热线", "12345", "24小时"),
    (COUNTY_A, "海拉尔区阳光低保热线", "0470-8234110", "工作日 8:30—17:30"),
    (TOWNSHIP_A, "奋斗镇社会救助服务电话", "0470-8301234", "工作日 8:30—17:30"),
    (TOWNSHIP_B, "正阳街道社会救助服务电话", "0470-8225678", "工作日 8:30—17:30"),
    ("150783000000", "扎兰屯市社会救助热线", "0470-3221100", "工作日 8:30—17:30"),
)
CALLS = (  # (kind, topic, summary, caller, days ago)
    ("consultation", "dibao", "询问低保申请需要准备哪些材料，是否需要户口本原件", "张桂兰", 1),
    ("consultation", "temporary", "家里突发火灾，想了解临时救助怎么申请", "刘建国", 2),
    ("help", "temporary", "老伴住院花费很大，家里生活困难，希望得到帮助", "王淑珍", 3),
    ("help", "dibao", "本人失业半年，独自抚养孩子，想申请低保", "赵丽娟", 12),
    ("complaint", "funds", "本月低保金未按时到账，村里说不清楚原因", "孙志强", 20),
    ("complaint", "staff", "到镇里办事多次被告知材料不全，每次说法不一样", "", 25),
    ("report", "dibao", "反映某户家中有人长期在外务工收入较高，仍在享受低保", "", 6),
    ("report", "dibao", "反映某低保户家里新买了小轿车", "周某", 30),
    ("consultation", "tekun", "询问特困人员集中供养的条件", "郑秀英", 8),
    ("help", "special", "孩子上大学学费有困难，想了解教育救助", "吴海军", 4),
)


def _users():
    from doudi.accounts.models import User

    return {u.username: u for u in User.objects.filter(username__in=("county", "township", "township2", "city"))}


def _backdate(ticket, days: int) -> None:
    """Move a demo ticket's receipt back ``days`` days and recompute its dues from that day."""
    from doudi.hotline.limits import dues_for
    from doudi.hotline.models import Ticket

    received = timezone.now() - dt.timedelta(days=days)
    dues = dues_for(region=ticket.region, kind=ticket.kind, urgent=ticket.urgent,
                    received_on=timezone.localdate(received))
    Ticket.objects.filter(pk=ticket.pk).update(received_at=received, acknowledge_due=dues.acknowledge,
                                                 response_due=dues.response, resolution_due=dues.resolution)
    ticket.refresh_from_db()


def _tickets(users, rng: random.Random, counts: dict) -> None:
    from doudi.benefits.models import Entitlement
    from doudi.hotline import services
    from doudi.hotline.services import TicketInput
    from doudi.regions.models import Region

    town = Region.objects.get(code=TOWNSHIP_A)
    county = Region.objects.get(code=COUNTY_A)
    tw = users["township"]
    for i, (kind, topic, summary, caller, ago) in enumerate(CALLS):
        actor, region = (users["county"], county) if kind in ("complaint", "report") else (tw, town)
        phone = f"13{rng.randint(100000000, 999999999)}" if caller else ""
        t = services.ticket_create(actor=actor, data=TicketInput(
            kind=kind, channel=("phone", "letter", "visit", "12345")[i % 4], topic=topic, summary=summary,
            region=region, caller_name=caller, caller_phone=phone, anonymous=not caller,
            subject_staff=tw if topic == "staff" else None))
        _backdate(t, ago)
        handler = users["county"] if t.region_id == COUNTY_A else tw
        if i % 3 == 0:
            services.ticket_accept(actor=handler, ticket=t)
            services.ticket_respond(actor=handler, ticket=t, text="已记录您的诉求，将在时限内答复")
            services.ticket_resolve(actor=handler, ticket=t, reply="已按政策为您解答并办理，如有疑问请再来电")
            services.ticket_callback(actor=handler, ticket=t, satisfaction=("satisfied", "basic")[i % 2])
        elif i % 3 == 1 and ago < 10:
            services.ticket_accept(actor=handler, ticket=t)
        if kind == "report" and caller:
            services.ticket_accept(actor=users["county"], ticket=t)
            ent = Entitlement.objects.filter(household__region__code__startswith=TOWNSHIP_A[:9],
                                             status="active", program="dibao").order_by("id").first()
            if ent is not None:
                services.ticket_open_review(actor=users["county"], ticket=t, entitlement=ent)
        counts["tickets"] += 1
    # A 12345 work order handed down from the city to the county and on to the township.
    t = services.ticket_create(actor=users["city"], data=TicketInput(
        kind="help", channel="12345", topic="dibao", summary="来电人称父亲瘫痪在床，家中无收入来源，请求帮助",
        region=Region.objects.get(code=CITY_CODE), caller_name="李春梅", caller_phone="13904701234",
        external_ref="HLBE2026112500123"))
    services.ticket_transfer(actor=users["city"], ticket=t, to_region=county, reason="属地办理")
    services.ticket_transfer(actor=users["county"], ticket=t, to_region=town, reason="请奋斗镇入户了解")
    from doudi.registry.models import Household

    hh = Household.objects.filter(region__code__startswith=TOWNSHIP_A[:9]).exclude(entitlements__status="active") \
        .order_by("id").first()
    services.ticket_accept(actor=tw, ticket=t)
    if hh is not None:
        services.ticket_link(actor=tw, ticket=t, household=hh)
    counts["tickets"] += 1
    # The neighbouring street office has its own calls (and its own staff only see them).
    services.ticket_create(actor=users["township2"], data=TicketInput(
        kind="consultation", channel="phone", topic="dibao", summary="询问租房居住能否在街道申请低保",
        region=Region.objects.get(code=TOWNSHIP_B), caller_name="陈志明", caller_phone="13604701111"))
    counts["tickets"] += 1
    counts["escalated"] = services.ticket_escalate_overdue(today=timezone.localdate(), region_prefix=CITY_PREFIX)


def _lines(users, counts: dict) -> None:
    from doudi.hotline import services
    from doudi.hotline.models import HotlineLine

    for code, label, number, hours in LINES:
        HotlineLine.objects.get_or_create(region_id=code, number=number, defaults={"label": label, "hours": hours})
    drawn = services.line_check_draw(actor=users["city"], prefix=CITY_PREFIX, count=3, seed=SEED)
    for line, result in zip(drawn, ("answered", "answered", "no_answer"), strict=False):
        services.line_check_record(actor=users["city"], line=line, result=result, seed=SEED,
                                   note="" if result == "answered" else "连续拨打两次无人接听，已通知整改")
        counts["line_checks"] += 1


def _inspections(users, counts: dict) -> None:
    from doudi.regions.models import Region
    from doudi.supervision import services
    from doudi.supervision.services.rounds import RoundInput

    county = Region.objects.get(code=COUNTY_A)
    today = timezone.localdate()
    done = services.round_draw(actor=users["county"], data=RoundInput(
        region=county, title=f"{today.year}年第三季度低保对象双随机抽查", program="dibao", sample_size=6,
        seed=SEED, as_of=today - dt.timedelta(days=60)))
    for n, item in enumerate(done.items.order_by("position")):
        problem = n == 2
        inspector = item.inspectors.first()
        services.item_record(actor=inspector, item=item, method=("visit", "documents")[n % 2],
                             inspected_on=today - dt.timedelta(days=40 - n), finding="amount" if problem else "none",
                             notes="家庭成员务工收入已变化，救助金额未及时调整" if problem else "")
        if problem:
            action = services.action_add(actor=users["county"], item=item, description="重新核算家庭收入，调整救助金额")
            services.action_open_review(actor=users["county"], action=action)
            services.action_done(actor=users["county"], action=action, result="已核查并按程序调整金额")
    services.round_publish(actor=users["county"], round=done,
                           summary="本次随机抽查低保对象6户，发现救助金额有误1户，已整改到位。")
    ongoing = services.round_draw(actor=users["county"], data=RoundInput(
        region=county, title=f"{today.year}年第四季度在保对象综合抽查", risk="any", sample_size=8, seed=SEED + 1))
    for item in ongoing.items.order_by("position")[:3]:
        services.item_record(actor=item.inspectors.first(), item=item, method="visit",
                             inspected_on=today - dt.timedelta(days=2), finding="none", notes="")
    counts["rounds"] = 2


def _statistics(users, counts: dict) -> None:
    """Two past month-ends of aggregates (their payroll figures are those months' own payrolls) and the statutory
    reports of last month and last quarter; the demo command then refreshes today's figures, which stay the latest."""
    from doudi.regions.models import Region
    from doudi.reports import services as reports
    from doudi.reports.build import report_build
    from doudi.statistics.services import statistics_refresh

    first = timezone.localdate().replace(day=1)
    for back in (2, 1):
        month_end = first
        for _i in range(back):
            month_end = month_end.replace(day=1) - dt.timedelta(days=1)
        statistics_refresh(day=month_end)
    last_month = (first - dt.timedelta(days=1)).replace(day=1)
    for username, code, kind in (("city", CITY_CODE, "monthly"), ("county", COUNTY_A, "monthly"),
                                 ("city", CITY_CODE, "quarterly")):
        period = last_month if kind == "monthly" else (last_month - dt.timedelta(days=80)).replace(day=1)
        report = reports.report_request(actor=users[username], region=Region.objects.get(code=code), kind=kind,
                                        period=period)
        report_build(report_id=report.pk)
        counts["reports"] += 1


def build_demo_sunshine(*, stdout=None) -> dict[str, int]:
    from doudi.hotline.models import Ticket

    counts = {"tickets": 0, "escalated": 0, "line_checks": 0, "rounds": 0, "reports": 0}
    if Ticket.objects.filter(region__code__startswith=CITY_PREFIX).exists():
        return counts
    users = _users()
    if len(users) < 4:
        return counts
    rng = random.Random(SEED)
    with transaction.atomic():
        _lines(users, counts)
        _tickets(users, rng, counts)
        _inspections(users, counts)
    _statistics(users, counts)
    if stdout is not None:
        stdout.write(f"  热线工单 {counts['tickets']} 件（督办 {counts['escalated']} 件），热线抽查 "
                     f"{counts['line_checks']} 次，双随机抽查 {counts['rounds']} 批，统计报表 {counts['reports']} 份"
                     " / tickets, line checks, rounds, reports")
    return counts


def delete_demo_sunshine() -> None:
    from doudi.hotline.models import HotlineLine, Ticket
    from doudi.reports.models import StatReport
    from doudi.supervision.models import InspectionRound

    StatReport.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    Ticket.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    HotlineLine.objects.filter(region__code__startswith=CITY_PREFIX).delete()
    InspectionRound.objects.filter(region__code__startswith=CITY_PREFIX).delete()
