"""The low-income population database (一库), the engine's "eligible but not covered" list, identifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.core.paging import paginate
from doudi.monitoring import selectors, services
from doudi.monitoring.choices import Category, IdentificationState
from doudi.monitoring.forms import DecideForm, IdentificationForm
from doudi.monitoring.services.identification import may_decide
from doudi.monitoring.views import form_errors, monitoring_screen, or_404, run_service
from doudi.registry.models import Household
from doudi.registry.selectors import attach_heads


@monitoring_screen
def lowincome_list(request):
    today = timezone.localdate()
    category = request.GET.get("category", "")
    page = paginate(request, selectors.lowincome_list(actor=request.user, category=category,
                                                      region=request.GET.get("region", ""), today=today))
    return render(request, "monitoring/lowincome_list.html", {
        "rows": attach_heads(page.object_list), "page": page, "category": category, "categories": Category.choices,
        "counts": selectors.lowincome_counts(actor=request.user, today=today), "today": today})


@monitoring_screen
def unenrolled_list(request):
    page = paginate(request, selectors.unenrolled(actor=request.user))
    return render(request, "monitoring/unenrolled_list.html", {"rows": attach_heads(page.object_list), "page": page})


@monitoring_screen
def identification_list(request):
    state = request.GET.get("state", "")
    page = paginate(request, selectors.identification_list(actor=request.user, state=state))
    return render(request, "monitoring/identification_list.html", {
        "rows": attach_heads(page.object_list), "page": page, "state": state, "states": IdentificationState.choices})


@monitoring_screen
def identification_new(request):
    form = IdentificationForm(request.POST or None, initial={"household": request.GET.get("household", "")})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            household = Household.objects.restrict(request.user, Action.CHANGE).filter(
                number=d["household"].strip()).first()
            ident = None
            if household is None:
                messages.error(request, _("户编号不存在，或不在您的辖区内"))
            else:
                ident = run_service(request, services.identification_propose, actor=request.user, household=household,
                                    category=d["category"], channel=d["channel"], statement=d["statement"],
                                    success=_("已提出认定，请核对测算"))
            if ident is not None:
                return redirect("monitoring:identification_detail", pk=ident.pk)
        else:
            form_errors(request, form)
    return render(request, "monitoring/identification_new.html", {"form": form})


@monitoring_screen
def identification_detail(request, pk: int):
    ident = or_404(selectors.identification_get, actor=request.user, pk=pk)
    return render(request, "monitoring/identification_detail.html", {
        "i": ident, "transitions": ident.transitions.select_related("actor"), "decide_form": DecideForm(),
        "may_decide": ident.state == IdentificationState.VERIFIED and may_decide(request.user, ident=ident)})


@login_required
@require_POST
def identification_action(request, pk: int, action: str):
    if action == "verify":
        run_service(request, services.identification_verify, actor=request.user, identification=pk,
                    success=_("已完成核对测算"))
    elif action == "decide":
        form = DecideForm(request.POST)
        if form.is_valid():
            run_service(request, services.identification_decide, actor=request.user, identification=pk,
                        approve=form.cleaned_data["approve"], reason=form.cleaned_data["reason"],
                        success=_("已审批"))
        else:
            form_errors(request, form)
    else:
        raise Http404
    return redirect("monitoring:identification_detail", pk=pk)
