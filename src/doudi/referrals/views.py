"""Referral screens: the department inbox with its answer form, and the household's referrals (create + feedback)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.paging import paginate
from doudi.referrals import selectors, services
from doudi.referrals.choices import NeedType, ReferralStatus
from doudi.referrals.models import ANSWER, Referral
from doudi.registry.selectors import attach_heads, household_get


@login_required
def inbox(request):
    today = timezone.localdate()
    filters = selectors.inbox_filters(request.GET)
    page = paginate(request, selectors.referral_list(actor=request.user, today=today, **filters))
    referrals = attach_heads(page.object_list)
    for r in referrals:
        r.overdue = r.is_overdue(today)
    return render(
        request,
        "referrals/inbox.html",
        {
            "referrals": referrals,
            "page": page,
            "statuses": ReferralStatus.choices,
            "status": filters["status"],
            "today": today,
        },
    )


@login_required
def detail(request, pk: int):
    try:
        referral = selectors.referral_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    attach_heads([referral])
    can_answer = Referral.objects.restrict(request.user, ANSWER).filter(pk=pk).exists()
    allowed = [(s, ReferralStatus(s).label) for s in services.TRANSITIONS[referral.status]] if can_answer else []
    return render(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "allowed": sorted(allowed),
            "overdue": referral.is_overdue(timezone.localdate()),
            "history": referral.transitions.select_related("actor"),
        },
    )


@login_required
@require_POST
def transition(request, pk: int):
    try:
        referral = selectors.referral_get(actor=request.user, pk=pk, action=ANSWER)
    except NotFoundOrForbidden:
        raise Http404 from None
    try:
        services.referral_transition(
            actor=request.user,
            referral=referral,
            to_status=request.POST.get("to_status", ""),
            answer=request.POST.get("answer", ""),
        )
        messages.success(request, _("已更新转办事项"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("referrals:detail", pk=pk)


@login_required
def household(request, pk: int):
    try:
        hh = household_get(actor=request.user, pk=pk, action=Action.VIEW)
    except NotFoundOrForbidden:
        raise Http404 from None
    if request.method == "POST":
        try:
            hh = household_get(actor=request.user, pk=pk, action=Action.CHANGE)
            services.referral_create(
                actor=request.user,
                household=hh,
                need_type=request.POST.get("need_type", ""),
                need_detail=request.POST.get("need_detail", ""),
            )
            messages.success(request, _("已推送至承办部门"))
        except NotFoundOrForbidden:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("referrals:household", pk=pk)
    return render(
        request,
        "referrals/household.html",
        {
            "household": hh,
            "feedback": selectors.household_feedback(hh),
            "needs": NeedType.choices,
            "can_create": _can_change(request.user, hh),
        },
    )


def _can_change(user, hh) -> bool:
    try:
        household_get(actor=user, pk=hh.pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        return False
    return True
