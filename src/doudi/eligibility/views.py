"""The 政策测算 panel on the household page: run the engine as of a date and read the explanation."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.posted import PostedForm, PostedText
from doudi.core.validators import check_date
from doudi.eligibility import selectors, services
from doudi.eligibility.models import Evaluation
from doudi.registry.selectors import household_get


class EvaluationForm(PostedForm):
    as_of = PostedText()

    def clean(self):
        d = super().clean()
        raw = d["as_of"]
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(_("日期“%(value)s”格式不正确，请用 年-月-日") % {"value": raw}) from None
        # A policy profile starts long after 1900; a date a century away is a typing error, not a question.
        d["as_of"] = self.parse(check_date, day, label=_("测算日期"), allow_future=True)
        return d


def _panel(request, household, evaluation: Evaluation | None, *, error: str = "", as_of: dt.date | None = None):
    can_run = allows(request.user, Action.CHANGE, household.region_id)
    return render(
        request,
        "eligibility/_panel.html",
        {
            "household": household,
            "evaluation": evaluation,
            "view": selectors.evaluation_view(evaluation) if evaluation else None,
            "error": error,
            "as_of": as_of or (evaluation.as_of if evaluation else timezone.localdate()),
            "can_run": can_run,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_evaluation(request, pk: int) -> HttpResponse:
    try:
        household = household_get(actor=request.user, pk=pk, action=Action.VIEW_FULL)
    except NotFoundOrForbidden:
        raise Http404 from None
    if request.method == "GET":
        return _panel(request, household, selectors.evaluation_latest(actor=request.user, household=household))
    if not allows(request.user, Action.CHANGE, household.region_id):
        raise Http404
    try:
        as_of = EvaluationForm(request.POST).cleaned()["as_of"]
    except DomainError as exc:
        return _panel(request, household, None, error=exc.message)
    try:
        evaluation = services.evaluation_run(actor=request.user, household=household, as_of=as_of)
    except DomainError as exc:
        return _panel(request, household, None, error=exc.message, as_of=as_of)
    return _panel(request, household, evaluation)
