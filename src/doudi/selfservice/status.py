"""Where a case is, in the words an applicant uses (not the state's name)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from doudi.benefits.choices import Program
from doudi.cases.choices import FINAL_STATES, AuthorityLevel, State, Workflow
from doudi.cases.models import Case
from doudi.core.money import format_yuan


def _yuan(fen: int | None) -> str:
    text = format_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def _day(d: dt.date) -> str:
    return _("%(m)d 月 %(d)d 日") % {"m": d.month, "d": d.day}


def case_status(case: Case, *, today: dt.date) -> str:
    """Where the case is, in the words an applicant uses (not the state's name)."""
    state = case.state
    decision = getattr(case, "decision", None) if state in FINAL_STATES else None
    if state == State.SUBMITTED:
        return _("已提交，等待乡镇（街道）受理")
    if state == State.RETURNED:
        if not case.application.missing_items:  # the applicant marked everything supplied; the township confirms
            return _("补正材料已提交，等待乡镇（街道）确认后重新受理")
        return _("需要补正材料，补齐后由乡镇（街道）重新受理")
    if state == State.ACCEPTED:
        return _("乡镇（街道）已受理，即将核对家庭经济状况")
    if state == State.VERIFYING:
        return _("正在核对家庭经济状况")
    if state == State.INVESTIGATING:
        return _("乡镇正在入户调查")
    if state == State.REINVESTIGATING:
        return _("乡镇正在重新调查")
    if state == State.TOWNSHIP_REVIEWED:
        return _("乡镇已初审，即将公示")
    if state == State.PUBLIC_NOTICE:
        notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
        if notice and notice.ends_on < today:
            who = _("县级民政部门") if case.authority_level == AuthorityLevel.COUNTY else _("乡镇（街道）")
            return _("公示期满，等待%(who)s审核确认") % {"who": who}
        return _("公示中，至 %(day)s") % {"day": _day(notice.ends_on)} if notice else _("公示中")
    if state == State.OBJECTION:
        return _("公示期间收到异议，正在核实")
    if state == State.ADVANCE_PAID:
        temp = getattr(case, "temporary", None)
        amount = temp.approved_fen if temp and temp.approved_fen else None
        return _("已先行救助 %(amt)s 元") % {"amt": _yuan(amount)} if amount else _("已先行救助")
    if state == State.DECIDED_APPROVED:
        if decision is None or not decision.monthly_fen:
            return _("已批准")
        if case.program == Program.TEMPORARY:
            return _("已批准，救助 %(amt)s 元") % {"amt": _yuan(decision.monthly_fen)}
        if decision.start_month:
            return _("已批准，每月 %(amt)s 元，自 %(y)d 年 %(m)d 月起") % {
                "amt": _yuan(decision.monthly_fen), "y": decision.start_month.year, "m": decision.start_month.month}
        return _("已批准，每月 %(amt)s 元") % {"amt": _yuan(decision.monthly_fen)}
    if state == State.DECIDED_REJECTED:
        return _("不予批准，理由见通知书；不服可申请行政复议或提起行政诉讼")
    if state == State.TERMINATED:
        return _("审核已终止")
    if case.workflow in {Workflow.EMERGENCY, Workflow.EXPENDITURE}:
        return _("已办结")
    return State(state).label
