"""What the steps of the temporary workflows check and do, on top of the standard steps of ``doudi.cases``: advance
aid from the reserve fund (先行救助), the approved amount and who approves it, the case conference above the cap
(一事一议), and closing once the paperwork or the staged payments are complete."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.cases.choices import AuthorityLevel
from doudi.cases.errors import CaseError
from doudi.cases.models import Case
from doudi.cases.selectors import temporary_limits
from doudi.cases.services.decisions import approval_announce, approval_check, approval_new
from doudi.cases.services.steps import household_size, notice_post, require_investigation, require_verification, tell
from doudi.core.money import format_yuan
from doudi.temporary.errors import Code
from doudi.temporary.models import TemporaryPayment
from doudi.temporary.policy import approval_for, conference_reason
from doudi.temporary.services.checks import confirm_due_on
from doudi.temporary.services.reserve import fund_draw

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.workflow import StepData


def advance_paid(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """急难型: paid at once from the township's reserve, within the township's approval limit (S6 §2(2))."""
    temp = case.temporary
    amount = int(data.amount_fen or temp.requested_fen)
    lim = temporary_limits(case.region, day=today)
    if lim.township_limit_fen is not None and amount > lim.township_limit_fen:
        raise CaseError(
            _("先行救助金额超过乡镇审批额度%(cap)s元（%(src)s）") % {
                "cap": format_yuan(lim.township_limit_fen), "src": lim.sources["township_limit"]},
            code=Code.OVER_TOWNSHIP_LIMIT,
        )
    movement = fund_draw(actor=actor, region=case.region, amount_fen=amount, case=case,
                         note=f"先行救助 {case.application.number}")
    TemporaryPayment.objects.create(case=case, stage=1, amount_fen=amount, paid_at=timezone.now(),
                                    from_reserve=True, movement=movement, paid_by=actor,
                                    confirm_due=confirm_due_on(case.region, paid_on=today))
    temp.approved_fen = amount
    temp.save(update_fields=["approved_fen"])
    tell(case, text=_("已先行发放临时救助金%(amt)s元。") % {"amt": format_yuan(amount)})


def expenditure_reviewed(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """支出型: the township's opinion fixes the amount, and the amount decides who approves (S3 Art 48)."""
    require_investigation(case)
    require_verification(case)
    temp = case.temporary
    approved = int(data.approved_fen or temp.requested_fen)
    temp.approved_fen = approved
    temp.save(update_fields=["approved_fen"])
    # who approves is the engine's answer for this amount and band (S3 Art 48; S6 §2(2)–(3))
    level, _band = approval_for(case, approved, today)
    case.authority_level = AuthorityLevel.TOWNSHIP if level == "township" else AuthorityLevel.COUNTY


def expenditure_notice(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    notice_post(case, today=today, amount_fen=case.temporary.approved_fen)


def expenditure_approved(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    approval_check(case, today=today)
    decision = approval_new(actor, case=case, today=today, reason=reason)
    temp = case.temporary
    level, band = approval_for(case, temp.approved_fen, today)
    if level == "county_case_conference" and not temp.conference_minutes:
        # S6 §2(3): above the band, or above the profile's threshold, a 一事一议 with its minutes
        raise CaseError(_("%(why)s，须上传一事一议会议纪要") % {"why": conference_reason(case, temp.approved_fen, band,
                                                                                   today)},
                        code=Code.CONFERENCE_REQUIRED)
    decision.monthly_fen = temp.approved_fen
    decision.covered_members = household_size(case, day=today)
    approval_announce(case, decision=decision)


def require_advances_confirmed(case: Case) -> None:
    """Maker-checker: every payment from the reserve fund was confirmed by a second person before closing."""
    if case.payments.filter(from_reserve=True, confirmed_at__isnull=True).exists():
        raise CaseError(_("备用金先行救助尚未由另一名工作人员复核确认，不能办结"), code=Code.ADVANCE_UNCONFIRMED)


def emergency_closed(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    require_advances_confirmed(case)
    signed = [s for s in data.signed_by if str(s).strip()]
    if not signed:
        # S6 §2(2): after the emergency, complete the caseworkers' signatures and seals.
        raise CaseError(_("请补齐经办人员签字"), code=Code.SIGNATURES_REQUIRED, field="signed_by")
    temp = case.temporary
    temp.paperwork_completed_on = today
    temp.save(update_fields=["paperwork_completed_on"])


def expenditure_closed(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    paid = sum(p.amount_fen for p in case.payments.all())
    if paid < (case.temporary.approved_fen or 0):
        raise CaseError(_("分阶段救助尚未发放完毕"), code=Code.PAYMENTS_OUTSTANDING)
