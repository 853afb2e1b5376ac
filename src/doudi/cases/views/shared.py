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
from doudi.core.errors import DomainError, NotFoundOrForbidden


def parse_date(raw: str | None, default: dt.date | None = None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else (default or timezone.localdate())
    except ValueError:
        raise DomainError(_("日期格式应为 年-月-日"), code="invalid_date") from None


def parse_lines(raw: str | None) -> list[str]:
    return [x.strip() for x in (raw or "").replace("，", "\n").replace("、", "\n").splitlines() if x.strip()]


def case_or_404(request, pk: int) -> Case:
    try:
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
