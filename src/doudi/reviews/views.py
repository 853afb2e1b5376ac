"""Thin views (Chinese, phone-friendly): parse input, call services/selectors, render. Out of scope = 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.benefits.choices import SPECIAL_PROGRAMS, EntitlementStatus
from doudi.benefits.models import Entitlement
from doudi.core.errors import DomainError
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.registry.models import Household
from doudi.registry.selectors import attach_heads
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
from doudi.reviews.forms import (
    CreditForm,
    DecideForm,
    DeductionCancelForm,
    FineForm,
    JobOfferForm,
    OverpaymentCreateForm,
    OverpaymentForm,
    RecoveryForm,
    ScanForm,
    WaiveForm,
)
from doudi.reviews.services.recovery import ledger_deductions


def _or_404(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        raise


def _run(request, form: forms.Form, action) -> bool:
    """Validate ``form`` and call ``action(cleaned_data)``; a bad value or a refusal becomes a Chinese message.
    Out of scope answers 404, like a missing page."""
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return False
    try:
        action(form.cleaned_data)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return False
    return True


@login_required
def review_list(request):
    when = request.GET.get("when", "")
    page = paginate(request, selectors.review_list(actor=request.user, when=when, status=request.GET.get("status", ""),
                                                   today=timezone.localdate()))
    tasks = attach_heads(page.object_list)
    return render(request, "reviews/review_list.html", {"tasks": tasks, "page": page, "when": when,
                                                        "today": timezone.localdate(),
                                                        "statuses": ReviewStatus.choices})


@login_required
@require_POST
def scan(request):
    def go(d):
        s = services.review_scan(actor=request.user, region_code=d["region"],
                                 as_of=d["as_of"] or timezone.localdate())
        messages.success(request, _("扫描完成：%(done)s/%(total)s 项待遇，新建核查任务 %(created)s 项") % {
            "done": s.done_count, "total": s.total_count, "created": s.created_count})

    _run(request, ScanForm(request.POST), go)
    return redirect("reviews:review_list")


@login_required
def review_detail(request, pk: int):
    task = _or_404(selectors.review_get, actor=request.user, pk=pk)
    attach_heads([task])
    return render(request, "reviews/review_detail.html", {
        "t": task, "suggestion": selectors.review_suggestion(task), "outcomes": ReviewOutcome.choices,
        "overpayment_reasons": OverpaymentReason.choices, "special": task.entitlement.program in SPECIAL_PROGRAMS,
    })


@login_required
@require_POST
def review_action(request, pk: int, action: str):
    if action == "verify":
        ok = _run(request, forms.Form(request.POST), lambda d: services.review_verify(actor=request.user, task=pk))
    elif action == "evaluate":
        ok = _run(request, forms.Form(request.POST), lambda d: services.review_evaluate(actor=request.user, task=pk))
    elif action == "decide":
        ok = _run(request, DecideForm(request.POST), lambda d: services.review_decide(
            actor=request.user, task=pk, outcome=d["outcome"], reason=d["reason"],
            proposed_monthly_fen=d["proposed_yuan"], grace_months=d["grace_months"],
            grace_special=d["grace_special"], school_proof=d["school_proof"]))
    elif action == "overpayment":
        task = _or_404(selectors.review_get, actor=request.user, pk=pk)
        created = []
        ok = _run(request, OverpaymentForm(request.POST), lambda d: created.append(services.overpayment_create(
            actor=request.user, entitlement=task.entitlement, reason=d["reason"], should_stop_on=d["should_stop_on"],
            due_monthly_fen=d["due_yuan"] or 0, review=task, note=d["note"])))
        if ok:
            return redirect("reviews:overpayment_detail", pk=created[0].pk)
    else:
        raise Http404
    if ok:
        messages.success(request, _("已保存"))
    return redirect("reviews:review_detail", pk=pk)


@login_required
def overpayment_list(request):
    if request.method == "POST":
        created = []
        # The service scopes the id (missing and out of scope are the same 404).
        if _run(request, OverpaymentCreateForm(request.POST), lambda d: created.append(services.overpayment_create(
                actor=request.user, entitlement=d["entitlement"], reason=d["reason"],
                should_stop_on=d["should_stop_on"], due_monthly_fen=d["due_yuan"] or 0, note=d["note"]))):
            return redirect("reviews:overpayment_detail", pk=created[0].pk)
    page = paginate(request, selectors.overpayment_list(actor=request.user, open_only=bool(request.GET.get("open"))))
    rows = attach_heads(page.object_list)
    return render(request, "reviews/overpayment_list.html",
                  {"rows": rows, "page": page, "reasons": OverpaymentReason.choices})


@login_required
def overpayment_detail(request, pk: int):
    op = _or_404(selectors.overpayment_get, actor=request.user, pk=pk)
    attach_heads([op])
    if request.method == "POST":
        today = timezone.localdate()
        action = request.POST.get("action")
        if action == "recovery":
            ok = _run(request, RecoveryForm(request.POST), lambda d: services.recovery_record(
                actor=request.user, overpayment=op, amount_fen=d["amount_yuan"], received_on=d["received_on"] or today,
                method=d["method"], note=d["note"]))
        elif action == "waive":
            ok = _run(request, WaiveForm(request.POST), lambda d: services.overpayment_waive(
                actor=request.user, overpayment=op, reason=d["reason"]))
        elif action == "cancel_deduction":
            ok = _run(request, DeductionCancelForm(request.POST), lambda d: _cancel_deduction(request.user, op, d))
        elif action == "fine":
            ok = _run(request, FineForm(request.POST), lambda d: services.fine_record(
                actor=request.user, overpayment=op, fine_fen=d["fine_yuan"], decision_ref=d["decision_ref"],
                decided_on=d["decided_on"] or today))
        else:
            raise Http404
        if ok:
            messages.success(request, _("已保存"))
            return redirect("reviews:overpayment_detail", pk=pk)
    manual = [c for c in RecoveryMethod.choices if c[0] != RecoveryMethod.DEDUCTION]  # 扣回 is the payroll's
    return render(request, "reviews/overpayment_detail.html", {
        "op": op, "recoveries": op.recoveries.all(), "methods": manual,
        "deductions": ledger_deductions(op)})


def _cancel_deduction(user, op, data) -> None:
    from doudi.payments.deductions import deduction_cancel

    if data["deduction"] not in {d.pk for d in ledger_deductions(op)}:
        raise Http404
    deduction_cancel(actor=user, deduction=data["deduction"], reason=data["reason"])


@login_required
def credit_list(request):
    if request.method == "POST":
        # The service scopes the household id (missing and out of scope are the same 404).
        if _run(request, CreditForm(request.POST), lambda d: services.credit_record_add(
                actor=request.user, household=d["household"], person=d["person"], reason=d["reason"],
                detail=d["detail"], decided_on=d["decided_on"] or timezone.localdate(), source=d["source"],
                period_start=d["period_start"], period_end=d["period_end"], decision_ref=d["decision_ref"])):
            messages.success(request, _("已登记失信记录"))
            return redirect("reviews:credit_list")
    rows = attach_heads(selectors.credit_records(actor=request.user).select_related("household__region")[:300])
    return render(request, "reviews/credit_list.html", {"rows": rows, "reasons": CreditReason.choices,
                                                        "sources": CreditSource.choices})


@login_required
def job_offer_list(request):
    if request.method == "POST":
        recorded = []
        if _run(request, JobOfferForm(request.POST), lambda d: recorded.append(services.job_offer_record(
                actor=request.user, household=d["household"], person=d["person"],
                offered_on=d["offered_on"] or timezone.localdate(), department=d["department"],
                position=d["position"], result=d["result"], refusal_reason=d["refusal_reason"],
                good_reason=d["good_reason"]))):
            offer = recorded[0]
            if offer.flagged:
                messages.warning(request, offer.flag_note)
            else:
                messages.success(request, _("已登记"))
            return redirect("reviews:job_offer_list")
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
        # 渐退 as the engine fixed it: last paid month = start + N − 1 (stored by the review path)
        "graces": Entitlement.objects.filter(household_id=pk, status=EntitlementStatus.GRACE).order_by("id"),
    })
