"""One household, one plan (一户一策): list, create, measures, follow-ups."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedId
from doudi.monitoring import selectors, services
from doudi.monitoring.choices import MeasureStatus, PlanStatus
from doudi.monitoring.forms import FollowUpForm, MeasureForm, MeasureStatusForm, PlanForm, ReasonForm
from doudi.monitoring.views import form_errors, monitoring_screen, or_404, run_service
from doudi.registry.models import Household
from doudi.registry.selectors import attach_heads


@monitoring_screen
def plan_list(request):
    status = request.GET.get("status", "")
    page = paginate(request, selectors.plan_list(actor=request.user, status=status))
    return render(request, "monitoring/plan_list.html", {"rows": attach_heads(page.object_list), "page": page,
                                                         "status": status, "statuses": PlanStatus.choices})


@monitoring_screen
def plan_new(request, household: int):
    found = Household.objects.restrict(request.user, Action.CHANGE).filter(pk=household).first()
    if found is None:
        raise Http404
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            plan = run_service(request, services.plan_create, actor=request.user, household=found,
                               needs=form.cleaned_data["needs"], next_follow_up=form.cleaned_data["next_follow_up"],
                               success=_("已建立一户一策帮扶计划"))
            if plan is not None:
                return redirect("monitoring:plan_detail", pk=plan.pk)
        else:
            form_errors(request, form)
    return render(request, "monitoring/plan_new.html", {"form": form, "household": found})


@monitoring_screen
def plan_detail(request, pk: int):
    plan = or_404(selectors.plan_get, actor=request.user, pk=pk)
    return render(request, "monitoring/plan_detail.html", {
        "plan": plan, "measures": plan.measures.all(), "follow_ups": plan.follow_ups.select_related("by"),
        "measure_form": MeasureForm(), "measure_statuses": MeasureStatus.choices, "follow_form": FollowUpForm(),
        "may_change": plan.status == PlanStatus.ACTIVE and allows(request.user, Action.CHANGE, plan.region_id)})


class MeasurePick(PostedForm):
    measure_id = PostedId()  # a measure of a plan in the user's area, else 404


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    forms = {"measure": MeasureForm, "status": MeasureStatusForm, "follow_up": FollowUpForm, "close": ReasonForm}
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("monitoring:plan_detail", pk=pk)
    d = form.cleaned_data
    if action == "measure":
        run_service(request, services.plan_measure_add, actor=request.user, plan=pk, department=d["department"],
                    measure=d["measure"], due_on=d["due_on"], success=_("已添加帮扶措施"))
    elif action == "status":
        measure = MeasurePick(request.POST).cleaned()["measure_id"]
        if measure is None:
            raise Http404
        run_service(request, services.plan_measure_update, actor=request.user, measure=measure,
                    status=d["status"], note=d["note"], success=_("已更新落实情况"))
    elif action == "follow_up":
        run_service(request, services.plan_follow_up, actor=request.user, plan=pk, visited_on=d["visited_on"],
                    note=d["note"], next_follow_up=d["next_follow_up"], success=_("已记录回访"))
    else:
        run_service(request, services.plan_close, actor=request.user, plan=pk, reason=d["reason"],
                    success=_("帮扶计划已结束"))
    return redirect("monitoring:plan_detail", pk=pk)
