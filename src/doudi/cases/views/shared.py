"""What the case screens share: reading a date or a list from a form, the scoped case, the redirect after a
record is added."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.cases import selectors
from doudi.cases.models import Case
from doudi.core import validators
from doudi.core.errors import DomainError, NotFoundOrForbidden


def parse_date(raw: str | None, default: dt.date | None = None) -> dt.date:
    """Every date posted on these screens records something that happened (a visit, a filing): not in the future."""
    return validators.parse_date(raw, label=_("日期"), default=default or timezone.localdate(), allow_future=False)


def parse_lines(raw: str | None) -> list[str]:
    return [x.strip() for x in (raw or "").replace("，", "\n").replace("、", "\n").splitlines() if x.strip()]


def case_or_404(request, pk: int, *, audited: bool = False) -> Case:
    try:
        if audited:  # the page shows the full record: the view is audited
            return selectors.case_open(actor=request.user, pk=pk)
        return selectors.case_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None


def after_then_case(request, pk: int, fn, ok: str):
    try:
        fn()
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("cases:case_detail", pk=pk)
