"""Export of the referral inbox (转办事项) with the screen's status and overdue filters.

Department staff have no ``export`` action (accounts.permissions), so this is for civil-affairs roles following the
referrals they sent, and for auditors. The need's free-text detail and the department's answer stay out of the file:
they can name an illness or a disability.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.audit.list_export import list_export
from doudi.core.exports import Column, yes_no
from doudi.referrals import selectors
from doudi.referrals.models import Referral

COLUMNS = [
    Column(gettext_lazy("户编号"), 22),
    Column(gettext_lazy("村（社区）"), 16),
    Column(gettext_lazy("救助需求"), 14),
    Column(gettext_lazy("承办部门"), 18),
    Column(gettext_lazy("推送日期"), 12),
    Column(gettext_lazy("办理期限"), 12),
    Column(gettext_lazy("状态"), 18),
    Column(gettext_lazy("是否超期"), 10),
    Column(gettext_lazy("答复日期"), 12),
]


@login_required
def inbox_export(request, fmt: str):
    filters = selectors.inbox_filters(request.GET)
    today = timezone.localdate()
    qs = selectors.referral_list(actor=request.user, action=Action.EXPORT, today=today, **filters)

    def row(r: Referral) -> list:
        return [
            r.household.number,
            r.region.name,
            r.get_need_type_display(),
            r.get_department_display(),
            timezone.localdate(r.created_at),
            r.deadline,
            r.get_status_display(),
            yes_no(r.is_overdue(today)),
            timezone.localdate(r.answered_at) if r.answered_at else None,
        ]

    return list_export(
        actor=request.user,
        fmt=fmt,
        name="referrals",
        title=_("转办事项"),
        object_type="referrals.referral",
        columns=COLUMNS,
        queryset=qs,
        row=row,
        filters=filters,
    )
