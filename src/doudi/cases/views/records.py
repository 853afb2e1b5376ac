"""Records added to a case that do not move it: investigations, verification results, appraisals, notices
served, appeals; and the decision notice as PDF. Temporary assistance adds its own (``doudi.temporary.views``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.cases import services
from doudi.cases.pdf import decision_pdf
from doudi.cases.services import verification as case_verification_services
from doudi.cases.views.shared import after_then_case, case_or_404, parse_date
from doudi.core.posted import PostedForm, PostedList, PostedText
from doudi.core.validators import parse_int


class InvestigationForm(PostedForm):
    kind = PostedText()
    visited_on = PostedText(missing=None)
    investigators = PostedList()
    family_signed = PostedText()
    findings = PostedText()
    remote_reason = PostedText()

    def clean(self):
        d = super().clean()
        d["visited_on"] = self.parse(parse_date, d["visited_on"])
        return d


@login_required
@require_POST
def investigation_add(request, pk: int):
    form = InvestigationForm(request.POST)

    def go():
        d = form.cleaned()
        services.investigation_record(
            actor=request.user,
            case=pk,
            kind=d["kind"],
            visited_on=d["visited_on"],
            investigators=d["investigators"],
            family_signed=d["family_signed"] == "on",
            findings=d["findings"],
            remote_reason=d["remote_reason"],
        )

    return after_then_case(request, pk, go, _("调查记录已保存"))


@login_required
@require_POST
def investigation_sign(request, pk: int, investigation_pk: int):
    """The investigator named on the record signs it for themselves."""
    return after_then_case(
        request, pk,
        lambda: services.investigation_sign(actor=request.user, investigation=_investigation_of(request, pk,
                                                                                                 investigation_pk)),
        _("已签字"),
    )


def _investigation_of(request, pk: int, investigation_pk: int) -> int:
    case = case_or_404(request, pk)
    if not case.investigations.filter(pk=investigation_pk).exists():
        raise Http404
    return investigation_pk


class VerificationForm(PostedForm):
    completed_on = PostedText(missing=None)  # empty: today
    summary = PostedText(max_length=300, label=gettext_lazy("核对结果"))  # ``Case.verification_summary``

    def clean(self):
        d = super().clean()
        d["completed_on"] = self.parse(parse_date, d["completed_on"])
        return d


@login_required
@require_POST
def verification_add(request, pk: int):
    form = VerificationForm(request.POST)
    return after_then_case(
        request,
        pk,
        lambda: services.verification_record(actor=request.user, case=pk, **form.cleaned()),
        _("核对结果已登记"),
    )


@login_required
@require_POST
def verification_from_report(request, pk: int):
    return after_then_case(
        request, pk, lambda: case_verification_services.verification_from_report(actor=request.user, case=pk),
        _("已根据核对报告完成核对"),
    )


class AppraisalForm(PostedForm):
    """民主评议: when it was held, how many took part, what it found (the date first, as always read)."""

    held_on = PostedText(missing=None)
    participants = PostedText(missing=None)
    result = PostedText()

    def clean(self):
        d = super().clean()
        d["held_on"] = self.parse(parse_date, d["held_on"])
        d["participants"] = self.parse(parse_int, d["participants"], label=_("参加人数"), minimum=0, maximum=10_000,
                                       default=0)
        return d


@login_required
@require_POST
def appraisal_add(request, pk: int):
    form = AppraisalForm(request.POST)
    case = case_or_404(request, pk)
    objection = case.objections.order_by("-recorded_at").first()
    if objection is None:
        messages.error(request, _("民主评议只能在公示有异议后组织"))
        return redirect("cases:case_detail", pk=pk)
    return after_then_case(
        request,
        pk,
        lambda: services.appraisal_record(actor=request.user, case=pk, objection=objection, **form.cleaned()),
        _("民主评议已登记"),
    )


class NoticeServedForm(PostedForm):
    issued_on = PostedText(missing=None)  # empty: today

    def clean(self):
        d = super().clean()
        d["issued_on"] = self.parse(parse_date, d["issued_on"])
        return d


@login_required
@require_POST
def notice_served(request, pk: int):
    form = NoticeServedForm(request.POST)
    return after_then_case(
        request,
        pk,
        lambda: services.rejection_notice_issue(actor=request.user, case=pk, **form.cleaned()),
        _("已登记送达"),
    )


class AppealForm(PostedForm):
    kind = PostedText()
    filed_on = PostedText(missing=None)
    body = PostedText()
    outcome = PostedText()

    def clean(self):
        d = super().clean()
        d["filed_on"] = self.parse(parse_date, d["filed_on"])
        return d


@login_required
@require_POST
def appeal_add(request, pk: int):
    form = AppealForm(request.POST)
    return after_then_case(
        request,
        pk,
        lambda: services.appeal_record(actor=request.user, case=pk, **form.cleaned()),
        _("复议/诉讼已登记"),
    )


@login_required
def decision_pdf_view(request, pk: int):
    case = case_or_404(request, pk, audited=True)
    if not hasattr(case, "decision"):
        raise Http404
    response = HttpResponse(decision_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{case.pk}.pdf"'
    return response


class AmountConfirmForm(PostedForm):
    # The case keeps 300 characters of the reason (``Case.amount_confirmed_reason``).
    reason = PostedText(max_length=300, label=gettext_lazy("确认理由"))


@login_required
@require_POST
def amount_confirm(request, pk: int):
    """The second approver confirms an amount above the engine's or above the adjustment threshold (双人审核)."""
    from doudi.cases.services.amounts import amount_confirm as confirm

    form = AmountConfirmForm(request.POST)
    return after_then_case(request, pk, lambda: confirm(actor=request.user, case=pk, **form.cleaned()),
                           _("金额已确认"))
