"""A care agreement from signing to fee payment to termination, and a failing carer replaced ([002] 二(二))."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.care.choices import AgreementStatus, EndReason, SupportMode, VisitGroup
from doudi.care.errors import CareError
from doudi.care.models import VisitTarget
from doudi.care.services.agreements import (
    AgreementTerms,
    agreement_approve,
    agreement_end,
    agreement_sign,
    agreement_warn,
    carer_replace,
)
from doudi.care.services.arrangements import arrangement_create
from doudi.core.errors import NotFoundOrForbidden
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create

TERMS = AgreementTerms(carer_kind="neighbour", carer_name="王邻居", duties="每日送餐、打扫卫生、陪同就医",
                       visits_per_month=20, monthly_fee_fen=60_000, start_date=dt.date(2026, 1, 10),
                       carer_bank_name="农村信用社", carer_bank_account="6229400000000001")


def _dispersed(person, actor):
    return arrangement_create(actor=actor, person=person, mode=SupportMode.DISPERSED,
                              chosen_mode=SupportMode.DISPERSED, start_date=dt.date(2026, 1, 1))


def _pay(actor, month):
    payroll = payroll_create(actor=actor, region_code="150702001000", program="care_fee", month=month)
    payroll_generate(payroll_id=payroll.pk, actor=actor)
    return PayrollLine.objects.filter(payroll=payroll)


def test_signing_approval_payment_and_termination(tekun_person, people, checker):
    arrangement = _dispersed(tekun_person, people.owner)
    # A dispersed person joins the visiting list.
    assert VisitTarget.objects.filter(person=tekun_person, group=VisitGroup.DISPERSED_TEKUN).exists()
    agreement = agreement_sign(actor=people.owner, arrangement=arrangement, terms=TERMS)
    assert agreement.status == AgreementStatus.DRAFT and agreement.entitlement is None
    assert list(_pay(people.owner, dt.date(2026, 1, 1))) == [], "nothing is paid before a second person approves"
    with pytest.raises(CareError, match="签订人不能审核"):
        agreement_approve(actor=people.owner, agreement=agreement)
    agreement = agreement_approve(actor=checker, agreement=agreement)
    assert agreement.status == AgreementStatus.ACTIVE
    lines = _pay(people.owner, dt.date(2026, 2, 1))
    # February pays February, and January as back pay (January's payroll ran before the approval).
    assert sorted((ln.kind, ln.month, ln.amount_fen, ln.person_id) for ln in lines) == [
        ("backpay", dt.date(2026, 1, 1), 60_000, tekun_person.pk), ("regular", dt.date(2026, 2, 1), 60_000,
                                                                    tekun_person.pk)]
    agreement_end(actor=checker, agreement=agreement, ended_on=dt.date(2026, 3, 15), reason=EndReason.EXPIRED)
    assert [ln.amount_fen for ln in _pay(people.owner, dt.date(2026, 3, 1))] == [60_000], "paid through the end month"
    assert list(_pay(people.owner, dt.date(2026, 4, 1))) == [], "and not after"


def test_the_fee_is_paid_to_the_carer_for_the_person(tekun_person, people, checker):
    """The care fee goes to the carer's own account (a neighbour or a service organisation), never to the 特困
    person's household; the line names who is paid and for whom, and the bank file pays the carer."""
    from doudi.payments.bankfiles import export_rows

    arrangement = _dispersed(tekun_person, people.owner)
    no_account = AgreementTerms(carer_kind="neighbour", carer_name="王邻居", duties="送餐", visits_per_month=20,
                                monthly_fee_fen=60_000, start_date=dt.date(2026, 1, 10))
    with pytest.raises(CareError, match="发放到照料人（机构）的账户"):
        agreement_sign(actor=people.owner, arrangement=arrangement, terms=no_account)
    agreement_approve(actor=checker, agreement=agreement_sign(actor=people.owner, arrangement=arrangement,
                                                              terms=TERMS))
    household = tekun_person.memberships.get().household
    (line,) = _pay(people.owner, dt.date(2026, 1, 1))
    assert (line.account_holder, line.bank_name, line.bank_account) == ("王邻居", "农村信用社", "6229400000000001")
    assert line.bank_account != household.bank_account
    assert line.person_id == tekun_person.pk and line.household_id == household.pk and line.amount_fen == 60_000
    rows = export_rows(line.payroll)
    assert [r[1:4] for r in rows] == [["王邻居", "6229400000000001", "农村信用社"]]


def test_a_failing_carer_is_warned_ended_and_replaced(tekun_person, people, checker):
    arrangement = _dispersed(tekun_person, people.owner)
    first = agreement_approve(actor=checker, agreement=agreement_sign(actor=people.owner, arrangement=arrangement,
                                                                      terms=TERMS))
    agreement_warn(actor=people.owner, agreement=first, reason="连续两周未上门送餐", warned_on=dt.date(2026, 2, 3))
    first.refresh_from_db()
    assert first.status == AgreementStatus.WARNED and first.warnings.count() == 1
    new_terms = AgreementTerms(carer_kind="organisation", carer_name="幸福养老服务中心", duties="上门助餐助洁",
                               visits_per_month=30, monthly_fee_fen=80_000, start_date=dt.date(2026, 2, 16),
                               carer_bank_name="建设银行", carer_bank_account="6217000000000002")
    with pytest.raises(CareError, match="须写明情况"):
        carer_replace(actor=checker, agreement=first, ended_on=dt.date(2026, 2, 15), reason=EndReason.FAILED,
                      note="", terms=new_terms)
    second = carer_replace(actor=checker, agreement=first, ended_on=dt.date(2026, 2, 15), reason=EndReason.FAILED,
                           note="未履行协议，特困人员生活质量明显下降", terms=new_terms)
    first.refresh_from_db()
    assert first.status == AgreementStatus.ENDED and second.replaces_id == first.pk
    second = agreement_approve(actor=people.owner, agreement=second)  # signed by checker, approved by owner
    ent = Entitlement.objects.get(pk=second.entitlement_id)
    assert ent.start_month == dt.date(2026, 3, 1), "the old carer is paid for February, the new one from March"
    feb = _pay(people.owner, dt.date(2026, 2, 1))
    assert sorted((ln.kind, ln.amount_fen) for ln in feb) == [("regular", 60_000)]
    mar = _pay(people.owner, dt.date(2026, 3, 1))
    assert sorted(ln.amount_fen for ln in mar) == [80_000]


def test_only_a_live_tekun_person_gets_an_arrangement_and_only_in_scope(tree, tekun_person, people):
    from tests import factories as f

    other = f.household(tree.village_a).memberships.get().person
    with pytest.raises(CareError, match="没有在保的特困"):
        arrangement_create(actor=people.owner, person=other, mode=SupportMode.DISPERSED,
                           chosen_mode=SupportMode.DISPERSED, start_date=dt.date(2026, 1, 1))
    with pytest.raises(NotFoundOrForbidden):
        _dispersed(tekun_person, people.colleague)
    with pytest.raises(CareError, match="本人意愿不一致"):
        arrangement_create(actor=people.owner, person=tekun_person, mode=SupportMode.DISPERSED,
                           chosen_mode=SupportMode.INSTITUTIONAL, start_date=dt.date(2026, 1, 1))


def test_the_annual_assessment_feeds_the_engine_care_tier(tekun_person, people):
    from doudi.care.services.arrangements import assessment_record
    from doudi.registry.models import SelfCareAssessment

    arrangement = _dispersed(tekun_person, people.owner)
    none = dict.fromkeys(SelfCareAssessment.ACTIVITIES, False)
    _, tier = assessment_record(actor=people.owner, person=tekun_person, assessed_on=dt.date(2026, 1, 5),
                                abilities=none)
    arrangement.refresh_from_db()
    assert tier == arrangement.care_tier == "complete", "the engine, not this app, says what six failures mean"
    _, tier = assessment_record(actor=people.owner, person=tekun_person, assessed_on=dt.date(2026, 2, 5),
                                abilities=dict.fromkeys(SelfCareAssessment.ACTIVITIES, True))
    arrangement.refresh_from_db()
    assert tier == arrangement.care_tier == "able"
    assert SelfCareAssessment.objects.filter(person=tekun_person, valid_to__isnull=True).count() == 1


def test_the_carer_account_never_rests_on_one_person(tekun_person, people, checker):
    """Maker-checker on the carer's account (issue 9): the signer cannot approve (nor can a read-only auditor or
    another township), a signer no longer on record cannot be told apart from the approver, and a new account for
    the carer is a new agreement that waits for a second person while the approved account goes on being paid."""
    from doudi.care.models import CareAgreement

    arrangement = _dispersed(tekun_person, people.owner)
    draft = agreement_sign(actor=people.owner, arrangement=arrangement, terms=TERMS)
    with pytest.raises(CareError, match="签订人不能审核自己录入的协议，请由另一名经办人员审核"):
        agreement_approve(actor=people.owner, agreement=draft)
    for outsider in (people.auditor, people.colleague, people.outsider):
        with pytest.raises(NotFoundOrForbidden, match="未找到该照料服务协议，或不在您的辖区内"):
            agreement_approve(actor=outsider, agreement=draft)
    CareAgreement.objects.filter(pk=draft.pk).update(signed_by=None)  # the signer's account was deleted
    with pytest.raises(CareError, match="签订人不能审核"):
        agreement_approve(actor=checker, agreement=draft)
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT and draft.entitlement_id is None
    CareAgreement.objects.filter(pk=draft.pk).update(signed_by=people.owner)
    first = agreement_approve(actor=checker, agreement=draft)
    # the carer opened a new account: a new agreement, entered by one person, approved by another
    new_account = AgreementTerms(**{**TERMS.__dict__, "start_date": dt.date(2026, 3, 1),
                                    "carer_bank_name": "建设银行", "carer_bank_account": "6217000000000099"})
    second = carer_replace(actor=people.owner, agreement=first, ended_on=dt.date(2026, 2, 28),
                           reason=EndReason.OTHER, note="照料人更换收款账户", terms=new_account)
    with pytest.raises(CareError, match="签订人不能审核"):
        agreement_approve(actor=people.owner, agreement=second)
    (line,) = _pay(people.owner, dt.date(2026, 1, 1))
    assert line.bank_account == "6229400000000001"
    assert list(_pay(people.owner, dt.date(2026, 3, 1))) == [], "the new account is not paid before its approval"
    agreement_approve(actor=checker, agreement=second)
    (march,) = _pay(people.owner, dt.date(2026, 4, 1)).filter(month=dt.date(2026, 3, 1))
    assert (march.bank_name, march.bank_account, march.account_holder) == ("建设银行", "6217000000000099", "王邻居")
