"""Exports of the review task list (核查任务) and the overpayment ledger (追回台账), with the screens' filters.

No member names or ID numbers, and no free text (notes, reasons for an outcome, waiver reasons): a note about a
review can name an illness or a disability.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.audit.list_export import list_export
from doudi.core.exports import Column, yes_no
from doudi.core.money import fen_to_yuan
from doudi.reviews import selectors
from doudi.reviews.models import Overpayment, ReviewTask

REVIEW_COLUMNS = [
    Column(gettext_lazy("核查期限"), 12),
    Column(gettext_lazy("户编号"), 22),
    Column(gettext_lazy("村（社区）"), 16),
    Column(gettext_lazy("救助项目"), 14),
    Column(gettext_lazy("核查原因"), 16),
    Column(gettext_lazy("核查周期（月）"), 10),
    Column(gettext_lazy("状态"), 10),
    Column(gettext_lazy("是否逾期"), 10),
    Column(gettext_lazy("核查结论"), 18),
    Column(gettext_lazy("办结日期"), 12),
]

OVERPAYMENT_COLUMNS = [
    Column(gettext_lazy("户编号"), 22),
    Column(gettext_lazy("村（社区）"), 16),
    Column(gettext_lazy("救助项目"), 14),
    Column(gettext_lazy("原因"), 18),
    Column(gettext_lazy("应停发日期"), 12),
    Column(gettext_lazy("多发月份"), 24),
    Column(gettext_lazy("应追回（元）"), 12),
    Column(gettext_lazy("已追回（元）"), 12),
    Column(gettext_lazy("余额（元）"), 12),
    Column(gettext_lazy("状态"), 12),
]


@login_required
def review_list_export(request, fmt: str):
    # Parsed as views.review_list parses them.
    filters = {"when": request.GET.get("when", ""), "status": request.GET.get("status", "")}
    today = timezone.localdate()

    def row(t: ReviewTask) -> list:
        return [
            t.due_on,
            t.household.number,
            t.household.region.name,
            t.entitlement.get_program_display(),
            t.get_reason_display(),
            t.cycle_months,
            t.get_status_display(),
            yes_no(t.is_open and t.due_on < today),
            t.get_outcome_display() if t.outcome else "",
            t.decided_on,
        ]

    return list_export(
        actor=request.user,
        fmt=fmt,
        name="reviews",
        title=_("核查任务"),
        object_type="reviews.reviewtask",
        columns=REVIEW_COLUMNS,
        queryset=selectors.review_list(actor=request.user, today=today, action=Action.EXPORT, **filters),
        row=row,
        filters=filters,
    )


def _overpayment_row(o: Overpayment) -> list:
    return [
        o.household.number,
        o.household.region.name,
        o.entitlement.get_program_display(),
        o.get_reason_display(),
        o.should_stop_on,
        "、".join(o.months),
        fen_to_yuan(o.amount_fen),
        fen_to_yuan(o.recovered_fen),
        fen_to_yuan(o.balance_fen),
        o.get_status_display(),
    ]


@login_required
def overpayment_list_export(request, fmt: str):
    filters = {"open_only": bool(request.GET.get("open"))}  # as views.overpayment_list reads it
    return list_export(
        actor=request.user,
        fmt=fmt,
        name="overpayments",
        title=_("追回台账"),
        object_type="reviews.overpayment",
        columns=OVERPAYMENT_COLUMNS,
        queryset=selectors.overpayment_list(actor=request.user, action=Action.EXPORT, **filters),
        row=_overpayment_row,
        filters=filters,
    )
