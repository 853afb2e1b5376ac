"""Referral screens: the department inbox with its answer form, and the household's referrals (create + feedback)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedText
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


class TransitionForm(PostedForm):
    to_status = PostedText()  # the service refuses a move not in its table ("转办事项不能从…变为…")
    # ``Referral.answer`` and the transition's reason (500): a longer answer used to fail in the database.
    answer = PostedText(max_length=500, label=gettext_lazy("办理结果"))


class ReferralForm(PostedForm):
    need_type = PostedText()  # the service refuses an unknown type ("救助需求类型无效")
    need_detail = PostedText(max_length=500, label=gettext_lazy("需求说明"))  # ``Referral.need_detail``


@login_required
@require_POST
def transition(request, pk: int):
    try:
        referral = selectors.referral_get(actor=request.user, pk=pk, action=ANSWER)
    except NotFoundOrForbidden:
        raise Http404 from None
    try:
        services.referral_transition(actor=request.user, referral=referral, **TransitionForm(request.POST).cleaned())
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
            services.referral_create(actor=request.user, household=hh, **ReferralForm(request.POST).cleaned())
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
