"""Demo care and social forces: institutions with 3+1 checks, 特困 support arrangements with care agreements (one
carer warned, one replaced), visiting lists with visits (some overdue), charities, social workers and volunteers
with banked hours, a needs↔resources match, a purchase-of-services contract and donations. Everything goes through
the apps' services, so the demo is audited like real work."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q
from django.utils import timezone

from doudi.core.errors import DomainError
from doudi.demo.population import CITY_CODE
from doudi.demo.regions import COUNTY_A, TOWNSHIP_A, TOWNSHIP_B

CITY_PREFIX = CITY_CODE[:4]
SEED = 20261126
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _users():
    from doudi.accounts.models import User

    names = ["county", "county_b", "city", "township", "village"]
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _institutions(u, today):
    from doudi.care.services.institutions import check_record, institution_create
    from doudi.regions.models import Region

    specs = [(TOWNSHIP_A, "奋斗镇中心敬老院", "nursing_home", 60, 30),
             (TOWNSHIP_B, "正阳街道养老服务中心", "private", 40, 10),
             (COUNTY_A, "海拉尔区失能特困人员养护院", "care_home", 80, 64)]
    out = []
    for code, name, kind, beds, nursing in specs:
        inst = institution_create(actor=u["county"], region=Region.objects.get(pk=code), name=name, kind=kind,
                                  beds=beds, nursing_beds=nursing, operator="公建民营")
        out.append(inst)
        for level, back, org in (("county", 20, ""), ("township", 3, ""), ("village", 1, ""),
                                 ("third_party", 200, "呼伦贝尔市养老服务评估中心")):
            issues = level == "township" and kind == "private"
            check_record(actor=u["county"], institution=inst, level=level, checked_on=today - dt.timedelta(days=back),
                         result="issues" if issues else "passed", checker_org=org,
                         findings="消防通道堆放杂物；部分老人床单未按时更换" if issues else "",
                         corrective_actions="三日内清理通道，建立床单更换登记" if issues else "",
                         rectify_by=today + dt.timedelta(days=3) if issues else None)
    return out


def _arrangements(u, today, insts, rng):
    from doudi.benefits.models import Entitlement
    from doudi.care.services.agreements import (
        AgreementTerms,
        agreement_approve,
        agreement_sign,
        agreement_warn,
        carer_replace,
    )
    from doudi.care.services.arrangements import arrangement_create

    ents = (Entitlement.objects.filter(program="tekun", person__isnull=False, status="active",
                                       household__region__code__startswith=COUNTY_A[:6])
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=today.replace(day=1)))
            .select_related("person").order_by("id")[:14])
    start = (today - dt.timedelta(days=150)).replace(day=1)
    carers = [("relative", "侄子 王建国"), ("neighbour", "邻居 李秀英"), ("village_cadre", "村干部 张志强"),
              ("organisation", "海拉尔区幸福居家养老服务中心")]
    n = 0
    for i, e in enumerate(ents):
        institutional = i % 4 == 0
        try:
            a = arrangement_create(
                actor=u["county"], person=e.person, start_date=start, bed=f"{rng.randint(1, 3)}0{rng.randint(1, 9)}",
                mode="institutional" if institutional else "dispersed",
                chosen_mode="institutional" if institutional or i % 7 == 3 else "dispersed",
                choice_note="本人希望入住敬老院，暂无护理型床位，先分散供养" if i % 7 == 3 else "",
                institution=insts[i % len(insts)] if institutional else None)
        except DomainError:
            continue
        n += 1
        if institutional:
            continue
        kind, name = carers[i % len(carers)]
        terms = AgreementTerms(carer_kind=kind, carer_name=name, carer_phone="0470-8******",
                               carer_bank_name="内蒙古农村信用社", carer_bank_account=f"62294{i:014d}",
                               duties="每日上门查看饮食起居；每周打扫卫生两次；生病时陪同就医并及时报告村委会",
                               visits_per_month=20 if kind != "organisation" else 30,
                               monthly_fee_fen=rng.choice([30_000, 40_000, 50_000, 60_000]), start_date=start)
        g = agreement_sign(actor=u["county"], arrangement=a, terms=terms)
        if i % 5 == 4:
            continue  # left waiting for approval
        g = agreement_approve(actor=u["city"], agreement=g)
        if i % 6 == 2:
            agreement_warn(actor=u["county"], agreement=g, reason="两次探访发现未按协议送餐，老人饮食不规律",
                           warned_on=today - dt.timedelta(days=40))
            if i % 12 == 2:
                new = AgreementTerms(carer_kind="organisation", carer_name="海拉尔区幸福居家养老服务中心",
                                     duties="每日上门助餐助洁，每月健康巡查一次", visits_per_month=30,
                                     carer_bank_name="中国建设银行海拉尔支行",
                                     carer_bank_account="6217000000000012345",
                                     monthly_fee_fen=60_000, start_date=today - dt.timedelta(days=19))
                carer_replace(actor=u["county"], agreement=g, ended_on=today - dt.timedelta(days=20), reason="failed",
                              note="警告后仍未履行照料职责，特困人员生活质量明显下降", terms=new)
    return n


def _visits(u, today, rng):
    from doudi.care.models import VisitTarget
    from doudi.care.services.visits import VisitInput, target_add, visit_record
    from doudi.registry.models import Membership

    alone = (Membership.objects.filter(household__region__code__startswith=TOWNSHIP_A[:9], valid_to__isnull=True,
                                       person__birth_date__lt=dt.date(today.year - 70, 1, 1))
             .select_related("person").order_by("id")[:12])
    for i, m in enumerate(alone):
        try:
            target_add(actor=u["county"], person=m.person, since=today - dt.timedelta(days=120),
                       group="elderly_alone" if i % 3 else "left_behind_elderly", note="演示")
        except DomainError:
            continue
    findings = ["身体状况良好，居家安全无隐患", "血压偏高，已提醒按时服药", "冬季取暖煤已备足", "屋顶漏雨，需维修",
                "情绪低落，子女长期在外"]
    n = 0
    for i, t in enumerate(VisitTarget.objects.filter(region__code__startswith=TOWNSHIP_A[:9]).order_by("id")):
        if i % 3 == 2:
            continue  # never visited: overdue
        need = "service" if i == 1 else ("housing" if i == 4 else "")
        visitor = u["village"] if t.region_id == "150702100201" else u["township"]
        try:
            visit_record(actor=visitor, target=t, data=VisitInput(
                visited_on=today - dt.timedelta(days=rng.choice([5, 12, 25, 45])), method="home",
                findings=findings[i % len(findings)], need=need,
                need_detail={"service": "需要每周上门助洁、陪伴聊天", "housing": "房屋漏雨需维修"}.get(need, "")))
            n += 1
        except DomainError:
            continue
    return n


def _social(u, today):
    from doudi.regions.models import Region
    from doudi.socialforces.models import Need
    from doudi.socialforces.services import donations, matching, purchase, register

    county = Region.objects.get(pk=COUNTY_A)
    a = u["county"]
    charity = register.organisation_register(actor=a, region=county, name="呼伦贝尔市慈善总会海拉尔分会",
                                             kind="charity", services="助医、助学、困难家庭帮扶")
    sw = register.organisation_register(actor=a, region=county, name="海拉尔区阳光社会工作服务中心",
                                        kind="social_work", services="探访关爱、心理疏导、资源链接")
    register.organisation_register(actor=a, region=county, name="海拉尔区暖心志愿服务队", kind="volunteer_team",
                                   services="助洁、陪伴、代购")
    for name, kind, org, minutes in (("刘芳", "social_worker", sw, [240, 180]), ("赵磊", "social_worker", sw, [120]),
                                     ("孙丽", "volunteer", None, [90, 120, -60]), ("周强", "volunteer", None, [60])):
        h = register.helper_register(actor=a, region=county, kind=kind, name=name, organisation=org,
                                     qualification="助理社会工作师" if kind == "social_worker" else "")
        for j, m in enumerate(minutes):
            register.hours_record(actor=a, helper=h, served_on=today - dt.timedelta(days=10 + j), minutes=m,
                                  description="上门探访、助洁" if m > 0 else "兑换：理发服务")
    clean = matching.resource_create(actor=a, region=county, organisation=sw, kind="service",
                                     title="困难老人居家助洁服务", capacity=20)
    matching.resource_create(actor=a, region=county, organisation=charity, kind="project", title="暖冬助困项目",
                             capacity=50)
    need = Need.objects.filter(region__code__startswith=COUNTY_A[:6], status="open").first()
    if need is not None:
        m = matching.match_create(actor=a, need=need, resource=clean, matched_on=today - dt.timedelta(days=4))
        matching.match_deliver(actor=a, match=m, delivered_on=today - dt.timedelta(days=2),
                               note="社工两人上门打扫，清理杂物")
        matching.match_feedback(actor=a, match=m, satisfaction=5, feedback="很满意，希望每月都来")
    from doudi.payments.models import Allocation, FundSource

    if not FundSource.objects.filter(region=county, year=today.year - 1).exists():
        # Last year's subsidy funds, the base of the purchased-services cap ([000] 三(五)4); demo figures.
        for level, fen in (("central", 400_000_000), ("provincial", 100_000_000)):
            src = FundSource.objects.create(region=county, year=today.year - 1, level=level, amount_fen=fen,
                                            document="演示：困难群众救助补助资金")
            Allocation.objects.create(source=src, use="dibao", amount_fen=fen)
    b = u.get("county_b")  # money needs two people: the second person confirms what the first recorded
    try:
        contract = purchase.contract_sign(actor=a, region=county, organisation=sw, terms=purchase.ContractTerms(
            title="特殊困难群体探访关爱服务", year=today.year, amount_fen=8_000_000,
            start_date=today.replace(month=1, day=1), end_date=today.replace(month=12, day=31)))
    except DomainError:
        contract = None  # over the cap on this demo's funds: the screen shows why
    if contract is not None:
        pay = purchase.contract_pay(actor=a, contract=contract, paid_on=today - dt.timedelta(days=40),
                                    amount_fen=4_000_000, note="首期款")
        if b is not None:
            purchase.contract_payment_confirm(actor=b, payment=pay)
        purchase.contract_pay(actor=a, contract=contract, paid_on=today - dt.timedelta(days=2),
                              amount_fen=2_000_000, note="第二期（待确认）")
    d = donations.donation_receive(actor=a, region=county, donor="某爱心企业", amount_fen=20_000_000,
                                   received_on=today - dt.timedelta(days=30), purpose="困难家庭冬季取暖")
    if b is None:
        return
    donations.donation_confirm(actor=b, donation=d)
    use = donations.donation_use(actor=a, donation=d, used_on=today - dt.timedelta(days=20), amount_fen=6_000_000,
                                 purpose="为 40 户困难家庭购买取暖煤")
    donations.donation_use_confirm(actor=b, use=use)
    donations.donation_disclose(actor=a, donation=d, disclosed_on=today - dt.timedelta(days=18))
    donations.donation_receive(actor=a, region=county, donor="爱心人士（匿名）", amount_fen=500_000,
                               received_on=today - dt.timedelta(days=3))


def build_demo_care(*, today: dt.date | None = None, stdout=None) -> None:
    from doudi.care.models import Institution

    u = _users()
    if len(u) < 4 or Institution.objects.filter(region__code__startswith=CITY_PREFIX).exists():
        if stdout:
            stdout.write("  已有特困供养与探访数据，跳过 / care data exists, skipped")
        return
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    insts = _institutions(u, today)
    arranged = _arrangements(u, today, insts, rng)
    visited = _visits(u, today, rng)
    _social(u, today)
    from doudi.demo.special import build_demo_special

    special = build_demo_special(u, today)
    if stdout:
        stdout.write(f"  特困供养安排 {arranged} 人，探访记录 {visited} 条 / care arrangements, visits")
        stdout.write("  孤儿和事实无人抚养儿童 {orphan} 人，困难残疾人生活补贴 {disabled_living} 人，"
                     "重度残疾人护理补贴 {disabled_care} 人 / special groups".format(**special))


def delete_demo_care() -> None:
    """Remove the demo city's care and social-forces rows, children first."""
    from doudi.benefits.models import Entitlement
    from doudi.care import models as c
    from doudi.socialforces import models as s

    q = {"region__code__startswith": CITY_PREFIX}
    from doudi.demo.special import delete_demo_special

    delete_demo_special(CITY_PREFIX)
    s.DonationUse.objects.filter(donation__region__code__startswith=CITY_PREFIX).delete()
    s.Donation.objects.filter(**q).delete()
    s.ContractPayment.objects.filter(contract__region__code__startswith=CITY_PREFIX).delete()
    s.ServiceContract.objects.filter(**q).delete()
    s.Match.objects.filter(need__region__code__startswith=CITY_PREFIX).delete()
    s.Need.objects.filter(**q).delete()
    s.Resource.objects.filter(**q).delete()
    s.Helper.objects.filter(**q).delete()
    s.Organisation.objects.filter(**q).delete()
    c.CareVisit.objects.filter(**q).delete()
    c.VisitTarget.objects.filter(**q).delete()
    ents = list(c.CareAgreement.objects.filter(**q).exclude(entitlement=None).values_list("entitlement_id", flat=True))
    c.CareAgreement.objects.filter(**q).update(replaces=None)
    c.CareAgreement.objects.filter(**q).delete()
    from doudi.payments.models import PayrollLine

    PayrollLine.objects.filter(entitlement_id__in=ents).delete()
    Entitlement.objects.filter(pk__in=ents).delete()
    c.SupportArrangement.objects.filter(**q).delete()
    c.InstitutionCheck.objects.filter(institution__region__code__startswith=CITY_PREFIX).delete()
    c.Institution.objects.filter(**q).delete()
