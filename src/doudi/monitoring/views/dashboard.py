"""The monitoring overview with charts, the county's roll-up by township, a household's timeline."""

from __future__ import annotations

import json

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedId, PostedText
from doudi.monitoring import selectors, services
from doudi.monitoring.choices import Category
from doudi.monitoring.models import LowIncomeMember
from doudi.monitoring.selectors import AlertFilters
from doudi.monitoring.views import monitoring_screen, or_404, run_service
from doudi.registry.models import Membership
from doudi.registry.selectors import attach_heads, household_get


@monitoring_screen
def dashboard(request):
    today = timezone.localdate()
    data = selectors.dashboard(actor=request.user, today=today)
    counts = selectors.lowincome_counts(actor=request.user, today=today)
    return render(request, "monitoring/dashboard.html", {
        "d": data, "chart": json.dumps(data, ensure_ascii=False, default=str), "today": today,
        "categories": [(c, label, counts.get(c, 0)) for c, label in Category.choices],
        "unenrolled": selectors.unenrolled(actor=request.user).count(),
    })


@monitoring_screen
def rollup(request):
    today = timezone.localdate()
    late = selectors.alert_list(actor=request.user, filters=AlertFilters(overdue=True), today=today)
    page = paginate(request, late)
    return render(request, "monitoring/rollup.html", {
        "rows": selectors.rollup(actor=request.user, today=today), "page": page,
        "alerts": attach_heads(page.object_list), "today": today,
    })


@monitoring_screen
def household_timeline(request, pk: int):
    household, events = or_404(selectors.household_timeline, actor=request.user, household_id=pk)
    today = timezone.localdate()
    return render(request, "monitoring/household.html", {
        "household": household, "events": events,
        "entries": LowIncomeMember.objects.restrict(request.user, Action.VIEW_FULL).filter(household=household)
        .select_related("person").order_by("-valid_from"),
        "members": Membership.objects.filter(household=household).as_of(today).select_related("person"),
        "may_change": allows(request.user, Action.CHANGE, household.region_id)})


class EntryAddForm(PostedForm):
    person = PostedId()  # a member of the household, else 404
    reason = PostedText(max_length=200, label=gettext_lazy("纳入原因"))  # ``LowIncomeMember.reason``


class EntryEndForm(PostedForm):
    entry = PostedId()  # an entry of the household's, else 404
    reason = PostedText(max_length=200, label=gettext_lazy("退出原因"))  # ``LowIncomeMember.end_reason``


@monitoring_screen
@require_POST
def household_entry(request, pk: int, action: str):
    """Add a member as 其他困难人员, or end such an entry."""
    household = or_404(household_get, actor=request.user, pk=pk, action=Action.VIEW_FULL)
    form_class = {"add": EntryAddForm, "end": EntryEndForm}.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    form.is_valid()  # the id is checked first (404); a reason too long is the service call's message
    row = form.cleaned_data["person" if action == "add" else "entry"]
    if row is None:
        raise Http404
    if action == "add":
        run_service(request, lambda: services.lowincome_add(
            actor=request.user, household=household, person_id=row, reason=form.cleaned()["reason"]),
            success=_("已纳入低收入人口库"))
    else:
        run_service(request, lambda: services.lowincome_end(
            actor=request.user, member=row, reason=form.cleaned()["reason"]), success=_("已退出低收入人口库"))
    return redirect("monitoring:household", pk=pk)
