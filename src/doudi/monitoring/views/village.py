"""The village assistant's phone screens: the warnings to visit, the visit form, and reporting a household."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.monitoring import selectors, services
from doudi.monitoring.forms import SUGGESTED_INITIAL, ReportForm, VisitForm
from doudi.monitoring.views import form_errors, or_404, run_service
from doudi.registry.models import Household
from doudi.registry.selectors import attach_heads


def _require_change(user):
    if not region_prefixes(user, Action.CHANGE):
        raise Http404


@login_required
def village_home(request):
    _require_change(request.user)
    return render(request, "monitoring/village_home.html", {
        "alerts": attach_heads(selectors.village_queue(actor=request.user)[:200]), "today": timezone.localdate()})


@login_required
def village_visit(request, pk: int):
    alert = or_404(selectors.alert_get, actor=request.user, pk=pk, action=Action.CHANGE)
    # The rule's suggested response is the starting point; the assistant changes it after seeing the family.
    form = VisitForm(request.POST or None, request.FILES or None, initial=SUGGESTED_INITIAL.get(alert.suggested, {}))
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            visit = run_service(request, services.alert_visit, actor=request.user, alert=alert,
                                visited_on=d["visited_on"], findings=d["findings"], proposal=form.proposal_value(),
                                signature=d["signature"], photo=d.get("photo"))
            if visit is not None:
                messages.success(request, _("已提交核实情况，等待乡镇（街道）确认"))
                return redirect("monitoring:village_home")
        else:
            form_errors(request, form)
    return render(request, "monitoring/village_visit.html", {"a": alert, "form": form})


@login_required
def village_report(request):
    _require_change(request.user)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            household = Household.objects.restrict(request.user, Action.CHANGE).filter(
                number=d["household"].strip()).first()
            if household is None:
                messages.error(request, _("户编号不存在，或不在您的辖区内；新发现的家庭请先在家庭台账登记"))
            else:
                alert = run_service(request, services.discovery_report, actor=request.user, household=household,
                                    findings=d["findings"], proposal=form.proposal_value(), signature=d["signature"],
                                    photo=d.get("photo"), visited_on=d["visited_on"])
                if alert is not None:
                    messages.success(request, _("已上报乡镇（街道），请等待确认"))
                    return redirect("monitoring:village_home")
        else:
            form_errors(request, form)
    return render(request, "monitoring/village_report.html", {"form": form})
