"""The demo's medical-assistance claims (issue 8 item 6): a few settlements of 奋斗镇 recipients — a 特困 person's
inpatient stay and two chronic-outpatient bills of a 低保 member, the second reaching the annual cap — entered by
the township, evaluated by the engine and approved by the county, ready to be put on the month's medical payroll."""

from __future__ import annotations

import datetime as dt

from doudi.demo.caseflow import Ctx


def demo_medical(ctx: Ctx, township: str) -> None:
    from doudi.benefits.models import Entitlement
    from doudi.medical.services import claim_approve, claim_create, claims_evaluate
    from doudi.registry.models import Membership

    owner, county = ctx.users[township], ctx.users["county"]
    live = Entitlement.objects.filter(household__region__code__startswith=township[:9], status="active")
    tekun = live.filter(program="tekun").order_by("id").first()
    dibao = live.filter(program="dibao").order_by("id").first()
    day = ctx.today - dt.timedelta(days=12)
    claims = []
    if tekun is not None:
        claims.append(claim_create(actor=owner, person=tekun.person, kind="inpatient", claim_date=day,
                                   oop_fen=1_862_050, hospital="呼伦贝尔市人民医院"))
    if dibao is not None:
        member = Membership.objects.filter(household=dibao.household).as_of(day).order_by("id").first()
        for oop in (860_000, 540_000):
            claims.append(claim_create(actor=owner, person=member.person, kind="outpatient_chronic", claim_date=day,
                                       oop_fen=oop, hospital="海拉尔区人民医院"))
    if claims:
        claims_evaluate(actor=owner, claim_ids=[c.pk for c in claims])
        for c in claims[:2]:
            claim_approve(actor=county, claim=c)


def demo_payees(ctx: Ctx) -> None:
    """收款机构 for settlements (一站式结算): the county's hospital, registered by the county and its account
    confirmed by the county's second person; a township health centre in each demo township whose account still
    waits for the second person (township_b / township2_b confirm it on its page)."""
    from doudi.demo.regions import COUNTY_A, TOWNSHIP_A, TOWNSHIP_B
    from doudi.payments.payees import institution_account_confirm, institution_create

    hospital = institution_create(actor=ctx.users["county"], region_code=COUNTY_A, name="呼伦贝尔市人民医院",
                                  bank_name="中国工商银行呼伦贝尔分行", bank_account="0610020109024500017",
                                  document="医院开户许可证")
    institution_account_confirm(actor=ctx.users["county:b"], institution=hospital,
                                change_id=hospital.account_changes.get().pk, note="与开户许可证核对一致")
    for township, name, account in ((TOWNSHIP_A, "奋斗镇中心卫生院", "15010201040001234"),
                                    (TOWNSHIP_B, "正阳街道社区卫生服务中心", "15010201040005678")):
        institution_create(actor=ctx.users[township], region_code=township, name=name, bank_name="内蒙古农村信用社",
                           bank_account=account, document="卫生院开户证明")
