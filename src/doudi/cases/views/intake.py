"""Opening cases at the window: a new application (一证一书), the village agent's help (代办) and an adjustment of
an entitlement (增发、减发、停发、终止特困供养)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.benefits.choices import Program
from doudi.cases import selectors, services
from doudi.cases.choices import (
    CaseKind,
)
from doudi.cases.forms import APPLICATION_CHOICES, application_from_post
from doudi.cases.services.overlap import coverage_warnings
from doudi.cases.views.shared import after_then_case, case_or_404
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.money import yuan_to_fen
from doudi.core.posted import PostedForm, PostedList, PostedText
from doudi.registry.models import Membership
from doudi.registry.selectors import household_get


class ApplicantForm(PostedForm):
    applicant = PostedText()  # the id of a current member; anything else reads as "not chosen"


@login_required
def application_new(request, household_pk: int):
    try:
        household = household_get(actor=request.user, pk=household_pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404 from None
    members = [
        m.person
        for m in Membership.objects.filter(household=household).as_of(timezone.localdate()).select_related("person")
    ]
    if request.method == "POST":
        chosen = ApplicantForm(request.POST).cleaned()["applicant"]
        applicant = next((m for m in members if str(m.pk) == chosen), None)
        try:
            if applicant is None:
                raise DomainError(_("请选择申请人"))
            app = application_from_post(request, household, applicant)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申请 %(number)s 已登记") % {"number": app.number})
            covered = coverage_warnings(household, on=timezone.localdate())
            if covered and {"dibao", "tekun"} & set(app.programs):
                messages.warning(request, _("注意：%(who)s，低保、特困不能重复享受，重叠部分审批时将不予批准") % {
                    "who": "；".join(covered)})
            return redirect("cases:case_detail", pk=app.cases.first().pk)
    return render(
        request,
        "cases/application_form.html",
        {"household": household, "members": members, "self_service": False,
         "covered": coverage_warnings(household, on=timezone.localdate()), **APPLICATION_CHOICES},
    )


class AssistForm(PostedForm):
    entrustment = PostedText()
    supplied = PostedList()


@login_required
@require_POST
def application_assist(request, pk: int):
    """村（社区）代办: record the entrustment and the missing items the assistant helped supply."""
    case = case_or_404(request, pk)
    d = AssistForm(request.POST).cleaned()
    return after_then_case(
        request,
        pk,
        lambda: services.application_assist(
            actor=request.user, application=case.application, entrustment=d["entrustment"], supplied=d["supplied"],
        ),
        _("代办记录已保存"),
    )


class AdjustmentForm(PostedForm):
    amount = PostedText()
    kind = PostedText()
    reason = PostedText()

    def clean(self):
        d = super().clean()
        d["amount"] = self.parse(yuan_to_fen, d["amount"]) if d["amount"] else None
        return d


@login_required
def adjustment_new(request, entitlement_pk: int):
    ent = selectors.entitlement_for_change(actor=request.user, pk=entitlement_pk)
    if ent is None:
        raise Http404
    if request.method == "POST":
        try:
            d = AdjustmentForm(request.POST).cleaned()
            case = services.adjustment_open(
                actor=request.user,
                entitlement=ent,
                kind=d["kind"],
                proposed_monthly_fen=d["amount"],
                reason=d["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已发起%(kind)s") % {"kind": case.get_kind_display()})
            return redirect("cases:case_detail", pk=case.pk)
    # 渐退 is proposed from a review, where the engine grants the period (reviews.services.outcome)
    kinds = [
        (v, label)
        for v, label in CaseKind.choices
        if v not in (CaseKind.NEW, CaseKind.GRACE) and (v != CaseKind.TEKUN_TERMINATION or ent.program == Program.TEKUN)
    ]
    return render(request, "cases/adjustment_form.html", {"ent": ent, "kinds": kinds})
