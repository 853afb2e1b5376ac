"""Donations into the donation fund level (社会捐赠): received, used (never more than received) and disclosed.

Money needs two people: a donation is recorded by one and confirmed by another before it can be used; a use is
recorded by one and confirmed by another (``common.confirm``). The balance counts every use, confirmed or not, so
two pending uses cannot together spend more than the donation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.regions.models import Region
from doudi.socialforces.errors import Code, SocialForcesError
from doudi.socialforces.models import Donation, DonationUse, Need
from doudi.socialforces.services.common import check_region, confirm, fen_text, scoped

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def donation_receive(*, actor: User, region: Region, donor: str, received_on: dt.date, amount_fen: int,
                     purpose: str = "") -> Donation:
    check_region(actor, region=region)
    if not donor.strip():
        raise SocialForcesError(_("请填写捐赠方"), code=Code.REQUIRED, field="donor")
    if amount_fen <= 0:
        raise SocialForcesError(_("捐赠金额须大于 0"), code=Code.BAD_AMOUNT, field="amount")
    if received_on > timezone.localdate():
        raise SocialForcesError(_("接收日期不能晚于今天"), code=Code.BAD_DATE, field="received_on")
    row = Donation.objects.create(region=region, donor=donor.strip()[:100], received_on=received_on,
                                  amount_fen=amount_fen, purpose=purpose.strip()[:200], recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=region.code, changes=snapshot(row))
    return row


def donation_balance(donation: Donation) -> int:
    return donation.amount_fen - (donation.uses.aggregate(t=Sum("amount_fen"))["t"] or 0)


@transaction.atomic
def donation_use(*, actor: User, donation: Donation | int, used_on: dt.date, amount_fen: int, purpose: str,
                 need: Need | None = None) -> DonationUse:
    found = scoped(Donation, actor=actor, pk=donation, action="decide", lock=True)
    if amount_fen <= 0 or not purpose.strip():
        raise SocialForcesError(_("请填写使用金额和用途"), code=Code.REQUIRED, field="amount")
    if found.confirmed_by_id is None:
        raise SocialForcesError(_("该笔捐赠尚未由另一名工作人员确认到账，不能登记使用"), code=Code.NOT_CONFIRMED)
    left = donation_balance(found)
    if amount_fen > left:
        raise SocialForcesError(_("使用金额超过该笔捐赠余额 %(left)s 元") % {"left": fen_text(left)},
                                code=Code.OVER_DONATION, field="amount")
    if need is not None:
        need = scoped(Need, actor=actor, pk=need, action="view")
    row = DonationUse.objects.create(donation=found, used_on=used_on, amount_fen=amount_fen,
                                     purpose=purpose.strip()[:200], need=need, recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=found.region_id,
                 changes={"amount_fen": amount_fen, "purpose": row.purpose})
    return row


@transaction.atomic
def donation_disclose(*, actor: User, donation: Donation | int, disclosed_on: dt.date) -> Donation:
    found = scoped(Donation, actor=actor, pk=donation, action="decide", lock=True)
    found.disclosed_on = disclosed_on
    found.save(update_fields=["disclosed_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=found.region_id,
                 changes={"disclosed_on": disclosed_on.isoformat()})
    return found


@transaction.atomic
def donation_confirm(*, actor: User, donation: Donation | int) -> Donation:
    found = scoped(Donation, actor=actor, pk=donation, action="decide", lock=True)
    return confirm(actor=actor, row=found, region_code=found.region_id, what=_("捐赠"))


@transaction.atomic
def donation_use_confirm(*, actor: User, use: DonationUse | int) -> DonationUse:
    found = scoped(DonationUse, actor=actor, pk=use, action="decide", lock=True)
    return confirm(actor=actor, row=found, region_code=found.donation.region_id, what=_("捐赠使用"))
