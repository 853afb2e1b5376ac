"""Reads for the applicant's pages; the caller has checked the household is the applicant's own."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.cases.models import Feedback
from doudi.referrals.selectors import household_feedback


def applicant_feedback(*, household) -> list[dict]:
    """多线受理、一门反馈 ([003]): the applicant's one list — every case step told to them and every referral's answer,
    newest first. Reads by household; the caller has checked it is the applicant's own (or in scope)."""
    items = [
        {"at": fb.at, "on": timezone.localdate(fb.at),
         "topic": fb.case.get_program_display() if fb.case_id else _("救助申请"),
         # No status badge on case lines: a line is what was said then, not the case's state now.
         "text": fb.text, "status": "", "answered": True}
        for fb in Feedback.objects.filter(application__household=household).select_related("case")
    ]
    for r in household_feedback(household):
        day = r.answered_on or r.sent_on
        text = r.answer or _("已推送%(dept)s办理，应于%(d)s前答复") % {"dept": r.department, "d": r.deadline}
        items.append({"at": dt.datetime.combine(day, dt.time.max, tzinfo=timezone.get_current_timezone()),
                      "on": day, "topic": _("转办 · %(need)s（%(dept)s）") % {"need": r.need, "dept": r.department},
                      "text": text, "status": r.status, "answered": r.answered})
    return sorted(items, key=lambda i: i["at"], reverse=True)
