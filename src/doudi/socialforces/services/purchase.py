"""Government purchase of social-assistance services: contracts, deliverables, payments.

Signing is refused with a clear message when the year's contracts would pass the profile's cap on last year's
central + provincial subsidy funds ([000] 三(五)4, ``funds.purchased_services_cap``) or bring the share bought from
social organisations under the profile's minimum ([001] 二(五)16, ``funds.social_org_share_min``). The arithmetic is
the engine's (``rules.purchase``); the base is the payments app's record of last year's allocations.
A payment under a contract is recorded by one person and confirmed by another (``common.confirm``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.eligibility.services import params_for
from doudi.payments.selectors import purchased_services_cap
from doudi.regions.models import Region
from doudi.rules.purchase import PurchaseCheck, purchase_check
from doudi.socialforces.choices import SOCIAL_ORG_KINDS, ContractStatus
from doudi.socialforces.errors import Code, SocialForcesError
from doudi.socialforces.models import ContractPayment, Deliverable, Organisation, ServiceContract
from doudi.socialforces.services.common import check_region, confirm, fen_text, scoped

if TYPE_CHECKING:
    from doudi.accounts.models import User

CAP_KEY, SHARE_KEY = "funds.purchased_services_cap", "funds.social_org_share_min"


@dataclass(frozen=True)
class ContractTerms:
    title: str
    year: int
    amount_fen: int
    start_date: dt.date
    end_date: dt.date


def _source(params, key: str) -> str:
    meta = params.meta.get(key)
    return (meta.source or meta.note or "") if meta else ""


def purchase_position(*, actor: User, region: Region, year: int, amount_fen: int = 0, social: bool = True
                      ) -> tuple[PurchaseCheck, dict]:
    """Where the year stands (with a contract of ``amount_fen`` added): the engine's check and the figures a
    screen shows (base, cap share and share minimum with their sources)."""
    params = params_for(region.effective_profile(), as_of=dt.date(year, 1, 1), area=None)
    base = purchased_services_cap(actor=actor, region=region, year=year).base_fen
    year_q = ServiceContract.objects.filter(region__code__startswith=region.prefix, year=year)
    sums = year_q.aggregate(all=Sum("amount_fen"), social=Sum("amount_fen", filter=Q(social_org=True)))
    check = purchase_check(base_fen=base, purchased_fen=sums["all"] or 0, social_fen=sums["social"] or 0,
                           amount_fen=amount_fen, social=social, cap_bp=params.get(CAP_KEY),
                           share_min_bp=params.get(SHARE_KEY))
    info = {"base_fen": base, "cap_bp": params.get(CAP_KEY), "share_min_bp": params.get(SHARE_KEY),
            "cap_source": _source(params, CAP_KEY), "share_source": _source(params, SHARE_KEY),
            "purchased_fen": sums["all"] or 0, "social_fen": sums["social"] or 0}
    return check, info


def _refuse(check: PurchaseCheck, info: dict) -> None:
    if check.over_cap:
        raise SocialForcesError(
            _("签订后本年度政府购买社会救助服务总额为 %(total)s 元，超过上限 %(cap)s 元（上年中央和省级下拨困难群众救助"
              "补助资金 %(base)s 元的 %(pct)s%%；依据：%(src)s），不能签订。") % {
                "total": fen_text(check.total_after_fen), "cap": fen_text(check.cap_fen),
                "base": fen_text(info["base_fen"]), "pct": info["cap_bp"] / 100, "src": info["cap_source"]},
            code=Code.OVER_CAP, field="amount")
    if check.under_share:
        raise SocialForcesError(
            _("签订后本年度向社会组织购买服务的比例为 %(share)s%%，低于不少于 %(min)s%% 的要求（依据：%(src)s），"
              "请优先向社会组织购买。") % {
                "share": check.social_share_after_bp / 100, "min": info["share_min_bp"] / 100,
                "src": info["share_source"]},
            code=Code.UNDER_SHARE, field="organisation")


@transaction.atomic
def contract_sign(*, actor: User, region: Region, organisation: Organisation | int, terms: ContractTerms
                  ) -> ServiceContract:
    check_region(actor, region=region, action="decide")
    org = scoped(Organisation, actor=actor, pk=organisation, action="view")
    if not terms.title.strip():
        raise SocialForcesError(_("请填写服务项目名称"), code=Code.REQUIRED, field="title")
    if terms.amount_fen <= 0:
        raise SocialForcesError(_("合同金额须大于 0"), code=Code.BAD_AMOUNT, field="amount")
    if terms.end_date < terms.start_date:
        raise SocialForcesError(_("服务终止日期不能早于起始日期"), code=Code.BAD_DATE, field="end_date")
    # Contracts of the region are locked while the year's total is checked, so two signings cannot both pass.
    list(ServiceContract.objects.select_for_update().filter(region__code__startswith=region.prefix,
                                                            year=terms.year).values_list("pk", flat=True))
    social = org.kind in SOCIAL_ORG_KINDS
    check, info = purchase_position(actor=actor, region=region, year=terms.year, amount_fen=terms.amount_fen,
                                    social=social)
    _refuse(check, info)
    contract = ServiceContract.objects.create(
        region=region, organisation=org, title=terms.title.strip()[:100], year=terms.year,
        amount_fen=terms.amount_fen, social_org=social, start_date=terms.start_date, end_date=terms.end_date,
        signed_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=contract, region_code=region.code,
                 changes=snapshot(contract))
    return contract


@transaction.atomic
def deliverable_add(*, actor: User, contract: ServiceContract | int, description: str, due_on: dt.date) -> Deliverable:
    found = scoped(ServiceContract, actor=actor, pk=contract)
    if not description.strip():
        raise SocialForcesError(_("请填写服务成果"), code=Code.REQUIRED, field="description")
    row = Deliverable.objects.create(contract=found, description=description.strip()[:200], due_on=due_on)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=found.region_id,
                 changes=snapshot(row))
    return row


@transaction.atomic
def deliverable_accept(*, actor: User, deliverable: Deliverable | int, accepted_on: dt.date, assessment: str
                       ) -> Deliverable:
    found = scoped(Deliverable, actor=actor, pk=deliverable, action="decide", lock=True)
    if found.accepted_on is not None:
        raise SocialForcesError(_("该成果已验收"), code=Code.BAD_STATE)
    if not assessment.strip():
        raise SocialForcesError(_("请填写验收意见"), code=Code.REQUIRED, field="assessment")
    if accepted_on > timezone.localdate():
        raise SocialForcesError(_("验收日期不能晚于今天"), code=Code.BAD_DATE, field="accepted_on")
    found.accepted_on, found.assessment = accepted_on, assessment.strip()[:300]
    found.save(update_fields=["accepted_on", "assessment"])
    contract = found.contract
    if not contract.deliverables.filter(accepted_on__isnull=True).exists():
        ServiceContract.objects.filter(pk=contract.pk).update(status=ContractStatus.COMPLETED)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=contract.region_id,
                 changes={"accepted_on": accepted_on.isoformat()})
    return found


@transaction.atomic
def contract_pay(*, actor: User, contract: ServiceContract | int, paid_on: dt.date, amount_fen: int,
                 note: str = "") -> ContractPayment:
    found = scoped(ServiceContract, actor=actor, pk=contract, action="decide", lock=True)
    paid = found.payments.aggregate(t=Sum("amount_fen"))["t"] or 0
    if amount_fen <= 0:
        raise SocialForcesError(_("支付金额须大于 0"), code=Code.BAD_AMOUNT, field="amount")
    if paid + amount_fen > found.amount_fen:
        raise SocialForcesError(_("累计支付 %(t)s 元将超过合同金额 %(c)s 元") % {
            "t": fen_text(paid + amount_fen), "c": fen_text(found.amount_fen)}, code=Code.OVER_CONTRACT,
            field="amount")
    row = ContractPayment.objects.create(contract=found, paid_on=paid_on, amount_fen=amount_fen,
                                         note=note.strip()[:200], recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=found.region_id,
                 changes={"amount_fen": amount_fen, "paid_on": paid_on.isoformat()})
    return row


@transaction.atomic
def contract_payment_confirm(*, actor: User, payment: ContractPayment | int) -> ContractPayment:
    found = scoped(ContractPayment, actor=actor, pk=payment, action="decide", lock=True)
    return confirm(actor=actor, row=found, region_code=found.contract.region_id, what=_("合同付款"))
