"""Export of the case list (救助案件) with the screen's state and overdue filters.

Columns are the case's handling facts only: no ID number, and no statement, investigation or decision text (they can
carry illness or disability details).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.audit.list_export import list_export
from doudi.cases import selectors
from doudi.cases.choices import CaseKind
from doudi.cases.models import Case
from doudi.core.exports import Column, yes_no

COLUMNS = [
    Column(gettext_lazy("申请编号"), 20),
    Column(gettext_lazy("救助项目"), 16),
    Column(gettext_lazy("状态"), 16),
    Column(gettext_lazy("户编号"), 22),
    Column(gettext_lazy("申请人"), 12),
    Column(gettext_lazy("村（社区）"), 16),
    Column(gettext_lazy("受理日期"), 12),
    Column(gettext_lazy("办结期限"), 12),
    Column(gettext_lazy("是否逾期"), 10),
]


@login_required
def case_list_export(request, fmt: str):
    filters = selectors.case_list_filters(request.GET)
    today = timezone.localdate()

    def row(c: Case) -> list:
        program = c.get_program_display()
        if c.kind != CaseKind.NEW:
            program = f"{program}·{c.get_kind_display()}"
        return [
            c.application.number,
            program,
            c.get_state_display(),
            c.household.number,
            c.application.applicant.name,
            c.region.name,
            c.accepted_on,
            c.overall_due,
            yes_no(selectors.is_overdue(c, today=today)),
        ]

    return list_export(
        actor=request.user,
        fmt=fmt,
        name="cases",
        title=_("救助案件"),
        object_type="cases.case",
        columns=COLUMNS,
        queryset=selectors.case_list(actor=request.user, action=Action.EXPORT, **filters),
        row=row,
        filters=filters,
    )
