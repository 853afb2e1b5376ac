"""Thin views (Chinese, phone-friendly): parse input, call services/selectors, render. Out of scope = 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.core.errors import DomainError
from doudi.core.money import yuan_to_fen
from doudi.core.paging import paginate
from doudi.registry.models import Household
from doudi.reviews import selectors, services
from doudi.reviews.choices import (
    CreditReason,
    CreditSource,
    JobOfferResult,
    OverpaymentReason,
    RecoveryMethod,
    ReviewOutcome,
    ReviewStatus,
)


def _or_404(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        raise


def _date(value: str | None, default: dt.date | None = None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else default


def _fen(value: str | None) -> int | None:
    return yuan_to_fen(value) if value not in (None, "") else None


@login_required
def review_list(request):
    when = request.GET.get("when", "")
    page = paginate(request, selectors.review_list(actor=request.user, when=when, status=request.GET.get("status", ""),
                                                   today=timezone.localdate()))
    return render(request, "reviews/review_list.html", {"tasks": page.object_list, "page": page, "when": when,
                                                        "today": timezone.localdate(),
                                                        "statuses": ReviewStatus.choices})


@login_required
@require_POST
def scan(request):
    try:
        s = services.review_scan(actor=request.user, region_code=request.POST.get("region", ""),
                                 as_of=_date(request.POST.get("as_of"), timezone.localdate()))
        messages.success(request, _("扫描完成：%(done)s/%(total)s 项待遇，新建核查任务 %(created)s 项") % {
            "done": s.done_count, "total": s.total_count, "created": s.created_count})
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("reviews:review_list")


@login_required
def review_detail(request, pk: int):
    task = _or_404(selectors.review_get, actor=request.user, pk=pk)
    return render(request, "reviews/review_detail.html", {
        "t": task, "suggestion": selectors.review_suggestion(task), "outcomes": ReviewOutcome.choices,
        "overpayment_reasons": OverpaymentReason.choices,
    })


@login_required
@require_POST
def review_action(request, pk: int, action: str):
    p = request.POST
    try:
        if action == "verify":
            services.review_verify(actor=request.user, task=pk)
        elif action == "evaluate":
            services.review_evaluate(actor=request.user, task=pk)
        elif action == "decide":
            services.review_decide(actor=request.user, task=pk, outcome=p.get("outcome", ""),
                                   reason=p.get("reason", ""), proposed_monthly_fen=_fen(p.get("proposed_yuan")),
                                   grace_months=int(p["grace_months"]) if p.get("grace_months") else None)
        elif action == "overpayment":
            task = _or_404(selectors.review_get, actor=request.user, pk=pk)
            op = services.overpayment_create(actor=request.user, entitlement=task.entitlement,
                                             reason=p.get("reason", ""), should_stop_on=_date(p.get("should_stop_on")),
                                             due_monthly_fen=_fen(p.get("due_yuan")) or 0, review=task,
                                             note=p.get("note", ""))
            return redirect("reviews:overpayment_detail", pk=op.pk)
        else:
            raise Http404
        messages.success(request, _("已保存"))
    except (DomainError, ValueError, TypeError) as exc:
        if getattr(exc, "http_status", None) == 404:
            raise Http404(exc.message) from exc
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("reviews:review_detail", pk=pk)


@login_required
def overpayment_list(request):
    if request.method == "POST":
        p = request.POST
        try:
            # The service scopes the id (missing and out of scope are the same 404).
            op = services.overpayment_create(actor=request.user, entitlement=int(p.get("entitlement") or 0),
                                             reason=p.get("reason", ""),
                                             should_stop_on=_date(p.get("should_stop_on")),
                                             due_monthly_fen=_fen(p.get("due_yuan")) or 0, note=p.get("note", ""))
            return redirect("reviews:overpayment_detail", pk=op.pk)
        except (DomainError, ValueError, TypeError) as exc:
            if getattr(exc, "http_status", None) == 404:
                raise Http404(exc.message) from exc
            messages.error(request, getattr(exc, "message", str(exc)))
    page = paginate(request, selectors.overpayment_list(actor=request.user, open_only=bool(request.GET.get("open"))))
    rows = page.object_list
    return render(request, "reviews/overpayment_list.html",
                  {"rows": rows, "page": page, "reasons": OverpaymentReason.choices})


@login_required
def overpayment_detail(request, pk: int):
    op = _or_404(selectors.overpayment_get, actor=request.user, pk=pk)
    if request.method == "POST":
        p = request.POST
        try:
            action = p.get("action")
            if action == "recovery":
                services.recovery_record(actor=request.user, overpayment=op, amount_fen=_fen(p.get("amount_yuan")) or 0,
                                         received_on=_date(p.get("received_on"), timezone.localdate()),
                                         method=p.get("method", ""), note=p.get("note", ""))
            elif action == "waive":
                services.overpayment_waive(actor=request.user, overpayment=op, reason=p.get("reason", ""))
            elif action == "fine":
                services.fine_record(actor=request.user, overpayment=op, fine_fen=_fen(p.get("fine_yuan")) or 0,
                                     decision_ref=p.get("decision_ref", ""),
                                     decided_on=_date(p.get("decided_on"), timezone.localdate()))
            messages.success(request, _("已保存"))
            return redirect("reviews:overpayment_detail", pk=pk)
        except (DomainError, ValueError) as exc:
            if getattr(exc, "http_status", None) == 404:
                raise Http404(exc.message) from exc
            messages.error(request, getattr(exc, "message", str(exc)))
    return render(request, "reviews/overpayment_detail.html", {
        "op": op, "recoveries": op.recoveries.all(), "methods": RecoveryMethod.choices})


def _household_from_post(request) -> int:
    """The household id as posted; the service scopes it (missing and out of scope are the same 404)."""
    return int(request.POST.get("household") or 0)


@login_required
def credit_list(request):
    if request.method == "POST":
        p = request.POST
        try:
            services.credit_record_add(
                actor=request.user, household=_household_from_post(request), person=p.get("person") or None,
                reason=p.get("reason", ""), detail=p.get("detail", ""),
                decided_on=_date(p.get("decided_on"), timezone.localdate()), source=p.get("source", ""),
                period_start=_date(p.get("period_start")), period_end=_date(p.get("period_end")),
                decision_ref=p.get("decision_ref", ""))
            messages.success(request, _("已登记失信记录"))
            return redirect("reviews:credit_list")
        except (DomainError, ValueError) as exc:
            if getattr(exc, "http_status", None) == 404:
                raise Http404(exc.message) from exc
            messages.error(request, getattr(exc, "message", str(exc)))
    rows = selectors.credit_records(actor=request.user)[:300]
    return render(request, "reviews/credit_list.html", {"rows": rows, "reasons": CreditReason.choices,
                                                        "sources": CreditSource.choices})


@login_required
def job_offer_list(request):
    if request.method == "POST":
        p = request.POST
        try:
            offer = services.job_offer_record(
                actor=request.user, household=_household_from_post(request), person=int(p.get("person") or 0),
                offered_on=_date(p.get("offered_on"), timezone.localdate()), department=p.get("department", ""),
                position=p.get("position", ""), result=p.get("result", ""),
                refusal_reason=p.get("refusal_reason", ""), good_reason=bool(p.get("good_reason")))
            if offer.flagged:
                messages.warning(request, offer.flag_note)
            else:
                messages.success(request, _("已登记"))
            return redirect("reviews:job_offer_list")
        except (DomainError, ValueError) as exc:
            if getattr(exc, "http_status", None) == 404:
                raise Http404(exc.message) from exc
            messages.error(request, getattr(exc, "message", str(exc)))
    rows = selectors.job_offers(actor=request.user, flagged=bool(request.GET.get("flagged")))[:300]
    return render(request, "reviews/job_offer_list.html", {"rows": rows, "results": JobOfferResult.choices})


@login_required
def household_credit(request, pk: int):
    """The credit panel for the household page (loaded by HTMX). Users without full-record access get a 404."""
    if not Household.objects.restrict(request.user, Action.VIEW_FULL).filter(pk=pk).exists():
        raise Http404
    return render(request, "reviews/_household_credit.html", {
        "rows": selectors.credit_records(actor=request.user, household_id=pk),
        "offers": selectors.job_offers(actor=request.user, household_id=pk)[:20],
        "overpayments": selectors.overpayment_list(actor=request.user).filter(household_id=pk),
    })
