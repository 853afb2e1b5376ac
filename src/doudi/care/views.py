"""Care screens: the overview, the visiting list and the phone visit form, support arrangements with their care
agreements and assessments, institutions with their 3+1 checks, and the household's plan (money + services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows, region_prefixes
from doudi.care import forms, selectors
from doudi.care.choices import AgreementStatus, VisitGroup
from doudi.care.models import CareAgreement, Institution, VisitTarget
from doudi.care.plan import household_plan
from doudi.care.services import agreements as agreement_services
from doudi.care.services.arrangements import arrangement_create, assessment_record
from doudi.care.services.institutions import check_record
from doudi.care.services.visits import VisitInput, target_add, visit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedId, PostedText
from doudi.regions.models import Region
from doudi.registry.models import Membership, Person
from doudi.registry.selectors import household_get, household_view_full


def _fail(form, err: DomainError) -> None:
    form.add_error(err.field if err.field in form.fields else None, err.message)


@login_required
def home(request):
    today = timezone.localdate()
    values = selectors.ProfileValues(today)
    due = selectors.visits_due(actor=request.user, on=today, values=values)
    # The ratios of [004] 三 for each region the user is granted (a user with two grants sees both, not one of them).
    granted = Region.objects.filter(code__in=[p.ljust(12, "0") for p in region_prefixes(request.user, Action.VIEW)])
    return render(request, "care/home.html", {
        "overdue": [d for d in due if d.overdue][:20], "overdue_count": sum(d.overdue for d in due),
        "targets": len(due), "rates": selectors.visit_rates(actor=request.user, on=today, due=due, values=values),
        "drafts": selectors.agreements(actor=request.user).filter(status=AgreementStatus.DRAFT),
        "warned": selectors.agreements(actor=request.user).filter(status=AgreementStatus.WARNED),
        "arrangements": selectors.arrangements(actor=request.user)[:30],
        "supervision": selectors.supervision(actor=request.user, on=today, values=values),
        "ratios": [(r, selectors.ratios(actor=request.user, region=r, on=today, values=values))
                   for r in granted.order_by("code")],
        "today": today})


@login_required
def visit_list(request):
    due = selectors.visits_due(actor=request.user, on=timezone.localdate(), action=Action.CHANGE)
    return render(request, "care/visit_list.html", {"due": due})


@login_required
def visit_new(request, pk: int):
    target = VisitTarget.objects.restrict(request.user, Action.CHANGE).select_related("person", "region").filter(
        pk=pk).first()
    if target is None:
        raise Http404
    form = forms.VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = VisitInput(visited_on=d["visited_on"], method=d["method"], findings=d["findings"],
                          need=d["need"] or "", need_detail=d["need_detail"],
                          requested_fen=d["requested_yuan"] or 0, signature=d["signature"],
                          photo=d["photo"])
        try:
            visit = visit_record(actor=request.user, target=target, data=data)
        except DomainError as err:
            _fail(form, err)
        else:
            msg = _("探访记录已保存")
            if visit.outcome_ref:
                msg += _("；发现的需求已转出（%(ref)s）") % {"ref": visit.get_need_display()}
            messages.success(request, msg)
            return redirect("care:visit_list")
    return render(request, "care/visit_new.html", {"target": target, "form": form})


@login_required
def arrangement_new(request, person_pk: int):
    person = Person.objects.restrict(request.user, Action.CHANGE).filter(pk=person_pk).first()
    if person is None:
        raise Http404
    form = forms.ArrangementForm(request.POST or None)
    insts = Institution.objects.restrict(request.user, Action.VIEW).filter(active=True)
    form.fields["institution"].choices = [("", "—")] + [(i.pk, i.name) for i in insts]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            a = arrangement_create(actor=request.user, person=person, mode=d["mode"], chosen_mode=d["chosen_mode"],
                                   choice_note=d["choice_note"], bed=d["bed"], start_date=d["start_date"],
                                   institution=insts.filter(pk=d["institution"]).first() if d["institution"] else None)
        except DomainError as err:
            _fail(form, err)
        else:
            return redirect("care:arrangement_detail", a.pk)
    return render(request, "care/arrangement_new.html", {"person": person, "form": form})


@login_required
def arrangement_detail(request, pk: int):
    a = selectors.arrangement_get(actor=request.user, pk=pk)
    if a is None:
        raise Http404
    return render(request, "care/arrangement_detail.html", {
        "a": a, "agreements": a.agreements.prefetch_related("warnings").select_related("signed_by", "approved_by"),
        "can_change": allows(request.user, Action.CHANGE, a.region_id),
        "can_decide": allows(request.user, Action.DECIDE, a.region_id),
        "sign_form": forms.AgreementForm(), "end_form": forms.EndForm(), "warn_form": forms.WarnForm(),
        "assess_form": forms.AssessmentForm()})


def _terms(d) -> agreement_services.AgreementTerms:
    return agreement_services.AgreementTerms(
        carer_kind=d["carer_kind"], carer_name=d["carer_name"], carer_phone=d["carer_phone"], duties=d["duties"],
        carer_bank_name=d["carer_bank_name"], carer_bank_account=d["carer_bank_account"],
        visits_per_month=d["visits_per_month"], monthly_fee_fen=d["monthly_fee"],
        start_date=d["start_date"], end_date=d["end_date"])


@login_required
@require_POST
def agreement_action(request, pk: int, action: str):
    """Sign (on an arrangement), approve, warn, end or replace (on an agreement); errors come back as messages."""
    if action == "sign":
        a = selectors.arrangement_get(actor=request.user, pk=pk)
        if a is None:
            raise Http404
        back = a.pk
    else:
        agreement = CareAgreement.objects.restrict(request.user, Action.VIEW).filter(pk=pk).first()
        if agreement is None:
            raise Http404
        back = agreement.arrangement_id
    try:
        _do(request, pk, action)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("care:arrangement_detail", back)


def _do(request, pk: int, action: str) -> None:
    u = request.user
    if action == "approve":
        agreement_services.agreement_approve(actor=u, agreement=pk)
        messages.success(request, _("协议已审核生效，照料护理费自起始月份起随发放名册发放"))
        return
    form_class = {"sign": forms.AgreementForm, "warn": forms.WarnForm, "end": forms.EndForm,
                  "replace": forms.AgreementForm}.get(action)
    if form_class is None:
        raise NotFoundOrForbidden(_("未知操作"))
    form = form_class(request.POST)
    end = forms.EndForm(request.POST) if action == "replace" else None
    if not form.is_valid() or (end is not None and not end.is_valid()):
        messages.error(request, errors_text(form if not form.is_valid() else end))
        return
    d = form.cleaned_data
    if action == "sign":
        agreement_services.agreement_sign(actor=u, arrangement=pk, terms=_terms(d))
        messages.success(request, _("协议已录入，待另一名经办人员审核"))
    elif action == "warn":
        agreement_services.agreement_warn(actor=u, agreement=pk, reason=d["reason"])
        messages.success(request, _("已对照料人发出警告"))
    elif action == "end":
        agreement_services.agreement_end(actor=u, agreement=pk, ended_on=d["ended_on"], reason=d["reason"],
                                         note=d["note"])
        messages.success(request, _("协议已终止"))
    else:
        e = end.cleaned_data
        agreement_services.carer_replace(actor=u, agreement=pk, ended_on=e["ended_on"], reason=e["reason"],
                                         note=e["note"], terms=_terms(d))
        messages.success(request, _("原协议已终止，新照料人的协议待审核"))


@login_required
@require_POST
def assessment_new(request, pk: int):
    a = selectors.arrangement_get(actor=request.user, pk=pk)
    if a is None:
        raise Http404
    form = forms.AssessmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("care:arrangement_detail", pk)
    d = form.cleaned_data
    try:
        _assessment, tier = assessment_record(actor=request.user, person=a.person, assessed_on=d["assessed_on"],
                                    abilities={k: v for k, v in d.items() if k != "assessed_on"})
    except DomainError as err:
        messages.error(request, err.message)
    else:
        a.refresh_from_db()
        messages.success(request, _("评估已记录，测算结果：%(tier)s") % {"tier": a.get_care_tier_display() or tier})
    return redirect("care:arrangement_detail", pk)


@login_required
def institution_list(request):
    today = timezone.localdate()
    rows = selectors.supervision(actor=request.user, on=today)
    for r in rows:
        r.can_check = allows(request.user, Action.CHANGE, r.institution.region_id)
    return render(request, "care/institution_list.html", {
        "rows": rows,
        "page": paginate(request, selectors.checks(actor=request.user))})


@login_required
def check_new(request, pk: int):
    inst = Institution.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).first()
    if inst is None:
        raise Http404
    form = forms.CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_record(actor=request.user, institution=inst, **form.cleaned_data)
        except DomainError as err:
            _fail(form, err)
        else:
            messages.success(request, _("检查记录已保存"))
            return redirect("care:institution_list")
    return render(request, "care/check_new.html", {"inst": inst, "form": form})


@login_required
def plan(request, pk: int):
    try:
        household = household_view_full(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    members = Membership.objects.filter(household=household).as_of(timezone.localdate()).select_related("person")
    return render(request, "care/plan.html", {"p": household_plan(actor=request.user, household=household),
                                              "members": members, "groups": VisitGroup.choices,
                                              "can_change": allows(request.user, Action.CHANGE, household.region_id)})


class TargetForm(PostedForm):
    person = PostedId()  # a current member of the household, else 404
    group = PostedText()  # the service refuses an unknown group ("请选择探访对象类别")


@login_required
@require_POST
def target_add_view(request, pk: int):
    try:
        household = household_get(actor=request.user, pk=pk, action=Action.CHANGE)
        d = TargetForm(request.POST).cleaned()
        if d["person"] is None:
            raise Http404
        member = Membership.objects.filter(household=household, person_id=d["person"]).select_related("person").first()
        if member is None:
            raise Http404
        target_add(actor=request.user, person=member.person, group=d["group"], since=timezone.localdate())
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("已纳入探访名单"))
    return redirect("care:plan", pk)
