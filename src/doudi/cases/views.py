"""Caseworker and citizen screens for the case workflow (mobile-first; Chinese). Views parse input, call
selectors/services, and turn ``DomainError`` into a message; nothing else."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows, region_prefixes
from doudi.benefits.choices import Program
from doudi.cases import selectors, services
from doudi.cases.choices import (
    FINAL_STATES,
    AppealKind,
    AttachmentKind,
    CadreRole,
    CaseKind,
    Channel,
    InvestigationKind,
    Kinship,
    Place,
    State,
    TemporaryCause,
    TemporaryType,
)
from doudi.cases.models import Case
from doudi.cases.pdf import decision_pdf
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.money import format_yuan, yuan_to_fen
from doudi.core.paging import paginate
from doudi.core.validators import parse_date, parse_int
from doudi.regions.models import Region
from doudi.registry.models import Membership
from doudi.registry.selectors import household_get, person_get


def _date(raw: str | None, default: dt.date | None = None) -> dt.date:
    """Every date posted on these screens records something that happened (a visit, a filing): not in the future."""
    return parse_date(raw, label=_("日期"), default=default or timezone.localdate(), allow_future=False)


def _lines(raw: str | None) -> list[str]:
    return [x.strip() for x in (raw or "").replace("，", "\n").replace("、", "\n").splitlines() if x.strip()]


def _case_or_404(request, pk: int) -> Case:
    try:
        return selectors.case_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None


@login_required
def case_list(request):
    filters = selectors.case_list_filters(request.GET)
    page = paginate(request, selectors.case_list(actor=request.user, **filters))
    cases = list(page.object_list)
    today = timezone.localdate()
    for c in cases:
        c.overdue = selectors.is_overdue(c, today)
    return render(
        request,
        "cases/case_list.html",
        {
            "cases": cases,
            "page": page,
            "states": State.choices,
            "state": filters["state"],
            "overdue": filters["overdue"],
            "can_relatives": bool(selectors.staff_regions(actor=request.user)),
            "can_settings": bool(selectors.settings_regions(actor=request.user)),
        },
    )


@login_required
def case_detail(request, pk: int):
    # The caseworker's page shows internal notes (relatives register, investigators, staff names). Applicants, who
    # reach their own cases through the applicant scope, follow them on their self-service page instead.
    if not region_prefixes(request.user, Action.VIEW):
        _case_or_404(request, pk)
        return redirect("cases:self_service")
    case = _case_or_404(request, pk)
    steps = services.next_steps(request.user, case)
    temporary = getattr(case, "temporary", None)
    payments = list(case.payments.all())
    can_change = selectors.actor_reach(request.user, case, Action.CHANGE) is not None
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "app": case.application,
            "transitions": case.transitions.select_related("actor"),
            "investigations": case.investigations.all(),
            "notices": case.notices.all(),
            "objections": case.objections.all(),
            "decision": getattr(case, "decision", None),
            "temporary": temporary,
            "payments": payments,
            "more_stages": temporary is not None and len(payments) < temporary.stages,
            "appeals": case.appeals.all(),
            "feedback_items": list(case.application.feedback_items.all()),
            "attachments": list(selectors.attachment_list(actor=request.user, application_id=case.application_id)),
            "attachment_kinds": AttachmentKind.choices,
            "steps": steps,
            # The usual way forward first; returning, objections, rejection and termination are kept one click away.
            "main_steps": [(s, STEP_VERBS.get(s, State(s).label)) for s in steps if s not in EXCEPTIONAL_STEPS],
            "other_steps": [(s, STEP_VERBS.get(s, State(s).label)) for s in steps if s in EXCEPTIONAL_STEPS],
            "current_notice": case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first(),
            "can_change": can_change,
            "overdue": selectors.is_overdue(case),
            "investigation_kinds": InvestigationKind.choices,
            "appeal_kinds": AppealKind.choices,
            "final": case.state in FINAL_STATES,
            "today": timezone.localdate(),
            "amount": format_yuan,
        },
    )


# What the button says: the action, not the state it leads to.
STEP_VERBS = {
    State.SUBMITTED: gettext_lazy("补正后重新提交"),
    State.RETURNED: gettext_lazy("一次性告知补正"),
    State.ACCEPTED: gettext_lazy("受理"),
    State.VERIFYING: gettext_lazy("发起家庭经济状况核对"),
    State.INVESTIGATING: gettext_lazy("开始入户调查"),
    State.TOWNSHIP_REVIEWED: gettext_lazy("提交乡镇初审意见"),
    State.PUBLIC_NOTICE: gettext_lazy("张贴公示（7天）"),
    State.OBJECTION: gettext_lazy("登记公示异议"),
    State.REINVESTIGATING: gettext_lazy("重新调查"),
    State.ADVANCE_PAID: gettext_lazy("先行救助（备用金支付）"),
    State.DECIDED_APPROVED: gettext_lazy("批准"),
    State.DECIDED_REJECTED: gettext_lazy("不予批准"),
    State.TERMINATED: gettext_lazy("终止审核"),
    State.CLOSED: gettext_lazy("补齐手续并办结"),
}
EXCEPTIONAL_STEPS = frozenset({State.RETURNED, State.OBJECTION, State.DECIDED_REJECTED, State.TERMINATED})


def _after(request, pk: int, fn, ok: str):
    try:
        fn()
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok)
    return redirect("cases:case_detail", pk=pk)


@login_required
@require_POST
def case_step(request, pk: int):
    p = request.POST
    data: dict = {}
    if p.get("missing_items"):
        data["missing_items"] = _lines(p["missing_items"])
    if p.get("reasons"):
        data["reasons"] = _lines(p["reasons"])
    if p.get("content"):
        data["content"] = p["content"]
    if p.get("signed_by"):
        data["signed_by"] = _lines(p["signed_by"])

    def go():
        for key in ("amount", "approved"):
            if p.get(key):
                data[f"{key}_fen"] = yuan_to_fen(p[key])
        services.case_transition(
            actor=request.user, case=pk, to_state=p.get("to_state", ""), reason=p.get("reason", ""), **data
        )

    to_state = p.get("to_state", "")
    done = _("已办理：%(state)s") % {"state": State(to_state).label} if to_state in State.values else _("已办理")
    return _after(request, pk, go, done)


@login_required
@require_POST
def investigation_add(request, pk: int):
    p = request.POST
    names = [n for n in (p.get("investigator_1", ""), p.get("investigator_2", ""), p.get("investigator_3", "")) if n]

    def go():
        services.investigation_record(
            actor=request.user,
            case=pk,
            kind=p.get("kind", ""),
            visited_on=_date(p.get("visited_on")),
            investigators=[{"name": n, "signed": p.get("signed") == "on"} for n in names],
            family_signed=p.get("family_signed") == "on",
            findings=p.get("findings", ""),
            remote_reason=p.get("remote_reason", ""),
        )

    return _after(request, pk, go, _("调查记录已保存"))


@login_required
@require_POST
def verification_add(request, pk: int):
    p = request.POST
    return _after(
        request,
        pk,
        lambda: services.verification_record(
            actor=request.user, case=pk, completed_on=_date(p.get("completed_on")), summary=p.get("summary", "")
        ),
        _("核对结果已登记"),
    )


@login_required
@require_POST
def appraisal_add(request, pk: int):
    p = request.POST
    case = _case_or_404(request, pk)
    objection = case.objections.order_by("-recorded_at").first()
    if objection is None:
        messages.error(request, _("民主评议只能在公示有异议后组织"))
        return redirect("cases:case_detail", pk=pk)
    return _after(
        request,
        pk,
        lambda: services.appraisal_record(
            actor=request.user,
            case=pk,
            objection=objection,
            held_on=_date(p.get("held_on")),
            participants=parse_int(p.get("participants"), label=_("参加人数"), minimum=0, maximum=10_000, default=0),
            result=p.get("result", ""),
        ),
        _("民主评议已登记"),
    )


@login_required
@require_POST
def payment_add(request, pk: int):
    p = request.POST
    return _after(
        request,
        pk,
        lambda: services.temporary_pay_stage(
            actor=request.user,
            case=pk,
            amount_fen=yuan_to_fen(p.get("amount") or "0"),
            from_reserve=p.get("from_reserve") == "on",
        ),
        _("已发放"),
    )


@login_required
@require_POST
def minutes_add(request, pk: int):
    upload = request.FILES.get("minutes")
    if upload is None:
        messages.error(request, _("请选择一事一议会议纪要文件"))
        return redirect("cases:case_detail", pk=pk)
    return _after(
        request,
        pk,
        lambda: services.conference_minutes_attach(
            actor=request.user, case=pk, minutes=upload, held_on=_date(request.POST.get("held_on"))
        ),
        _("会议纪要已上传"),
    )


@login_required
@require_POST
def notice_served(request, pk: int):
    return _after(
        request,
        pk,
        lambda: services.rejection_notice_issue(
            actor=request.user, case=pk, issued_on=_date(request.POST.get("issued_on"))
        ),
        _("已登记送达"),
    )


@login_required
@require_POST
def appeal_add(request, pk: int):
    p = request.POST
    return _after(
        request,
        pk,
        lambda: services.appeal_record(
            actor=request.user,
            case=pk,
            kind=p.get("kind", ""),
            filed_on=_date(p.get("filed_on")),
            body=p.get("body", ""),
            outcome=p.get("outcome", ""),
        ),
        _("复议/诉讼已登记"),
    )


@login_required
def decision_pdf_view(request, pk: int):
    case = _case_or_404(request, pk)
    if not hasattr(case, "decision"):
        raise Http404
    response = HttpResponse(decision_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{case.pk}.pdf"'
    return response


def _application_from_post(request, household, applicant):
    p = request.POST
    programs = p.getlist("programs")
    temporary = None
    if Program.TEMPORARY in programs:
        temporary = {
            "type": p.get("temp_type", TemporaryType.EMERGENCY),
            "cause": p.get("temp_cause", "other"),
            "requested_fen": yuan_to_fen(p.get("temp_amount") or "0"),
            "stages": parse_int(p.get("temp_stages"), label=_("分阶段发放次数"), minimum=1, maximum=12, default=1),
        }
    emergency_region = None
    if p.get("place") == Place.EMERGENCY and p.get("emergency_region"):
        emergency_region = Region.objects.filter(code=p["emergency_region"]).first()
    return services.application_submit(
        actor=request.user,
        household=household,
        applicant=applicant,
        programs=programs,
        channel=p.get("channel", Channel.WINDOW),
        place=p.get("place", Place.HUKOU),
        commitment_signed=p.get("commitment_signed") == "on",
        entrustment=p.get("entrustment", ""),
        statement=p.get("statement", ""),
        special_needs=p.getlist("special_needs"),
        emergency_region=emergency_region,
        temporary=temporary,
    )


FORM_CHOICES = {
    "programs": [
        (Program.DIBAO, gettext_lazy("最低生活保障（低保）")),
        (Program.TEKUN, gettext_lazy("特困人员救助供养")),
        (Program.TEMPORARY, gettext_lazy("临时救助")),
    ],
    "special_needs": [
        ("medical", gettext_lazy("医疗救助")),
        ("education", gettext_lazy("教育救助")),
        ("housing", gettext_lazy("住房救助")),
        ("employment", gettext_lazy("就业救助")),
    ],
    "channels": Channel.choices,
    "places": Place.choices,
    "temp_types": TemporaryType.choices,
    "temp_causes": TemporaryCause.choices,
}


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
        applicant = next((m for m in members if str(m.pk) == request.POST.get("applicant")), None)
        try:
            if applicant is None:
                raise DomainError(_("请选择申请人"))
            app = _application_from_post(request, household, applicant)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申请 %(number)s 已登记") % {"number": app.number})
            return redirect("cases:case_detail", pk=app.cases.first().pk)
    return render(
        request,
        "cases/application_form.html",
        {"household": household, "members": members, "self_service": False, **FORM_CHOICES},
    )


@login_required
def household_archive(request, pk: int):
    """一户一案: every application, case, decision and notice of a household."""
    try:
        household = household_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    cases = selectors.household_cases(actor=request.user, household_id=pk)
    links = {
        "can_view_full": allows(request.user, Action.VIEW_FULL, household.region_id),
        "can_change": allows(request.user, Action.CHANGE, household.region_id),
    }
    return render(
        request,
        "cases/archive.html",
        {
            "title": _("一户一案 · %(number)s") % {"number": household.number},
            "cases": cases,
            "household": household,
            **links,
        },
    )


@login_required
def person_archive(request, pk: int):
    """一人一册: every case the person applied in or was a household member of."""
    try:
        person = person_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    cases = selectors.person_cases(actor=request.user, person_id=pk)
    title = _("一人一册 · %(name)s") % {"name": person.name}
    return render(request, "cases/archive.html", {"title": title, "cases": cases, "person": person})


def public_notice(request, region_code: str):
    """公示栏: no login. Only name, household size, amount, category and village (national-rules §7)."""
    region = get_object_or_404(Region, code=region_code)
    rows = selectors.public_notices(region=region)
    return render(request, "cases/public_notice.html", {"region": region, "rows": rows, "amount": format_yuan})


@login_required
@require_POST
def application_assist(request, pk: int):
    """村（社区）代办: record the entrustment and the missing items the assistant helped supply."""
    case = _case_or_404(request, pk)
    return _after(
        request,
        pk,
        lambda: services.application_assist(
            actor=request.user,
            application=case.application,
            entrustment=request.POST.get("entrustment", ""),
            supplied=request.POST.getlist("supplied"),
        ),
        _("代办记录已保存"),
    )


# --- the relatives register (近亲属备案, S1 Art 11, 20; national-rules §8.2) --------------------------------------


@login_required
def relatives(request):
    """County and township staff keep the register; matches are flagged at acceptance (``_to_accepted``)."""
    regions = selectors.staff_regions(actor=request.user)
    if not regions:
        raise Http404
    if request.method == "POST":
        p = request.POST
        region = next((r for r in regions if r.code == p.get("region")), None)
        try:
            if region is None:
                raise DomainError(_("请选择任职区划"))
            services.cadre_relative_add(
                actor=request.user,
                region=region,
                cadre_name=p.get("cadre_name", "").strip(),
                cadre_role=p.get("cadre_role", ""),
                relative_name=p.get("relative_name", "").strip(),
                relative_id_number=p.get("relative_id_number", ""),
                kinship=p.get("kinship", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已备案"))
            return redirect("cases:relatives")
    rows = selectors.cadre_relatives(actor=request.user, q=request.GET.get("q", "").strip())
    return render(
        request,
        "cases/relatives.html",
        {
            "rows": rows[:200],
            "regions": regions,
            "q": request.GET.get("q", ""),
            "roles": CadreRole.choices,
            "kinships": Kinship.choices,
            "form": request.POST,
        },
    )


# --- locality settings (地方办理设置) ------------------------------------------------------------------------------


@login_required
def locality_settings(request):
    regions = selectors.settings_regions(actor=request.user)
    if not regions:
        raise Http404
    if request.method == "POST":
        p = request.POST
        region = next((r for r in regions if r.code == p.get("region")), None)
        try:
            if region is None:
                raise DomainError(_("请选择区划"))
            services.locality_setting_save(
                actor=request.user,
                region=region,
                township_confirms=p.get("township_confirms") == "on",
                temp_township_limit_fen=yuan_to_fen(p.get("temp_township_limit") or "0"),
                temp_conference_above_fen=yuan_to_fen(p.get("temp_conference_above") or "0"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(region)s 的办理设置已保存") % {"region": region.name})
            return redirect("cases:locality_settings")
    rows = [(r, selectors.locality(r)) for r in regions]
    return render(request, "cases/locality_settings.html", {"rows": rows})


# --- adjustments (增发、减发、停发、终止特困供养) -------------------------------------------------------------------


@login_required
def adjustment_new(request, entitlement_pk: int):
    ent = selectors.entitlement_for_change(actor=request.user, pk=entitlement_pk)
    if ent is None:
        raise Http404
    if request.method == "POST":
        p = request.POST
        try:
            amount = yuan_to_fen(p["amount"]) if p.get("amount") else None
            case = services.adjustment_open(
                actor=request.user,
                entitlement=ent,
                kind=p.get("kind", ""),
                proposed_monthly_fen=amount,
                reason=p.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已发起%(kind)s") % {"kind": case.get_kind_display()})
            return redirect("cases:case_detail", pk=case.pk)
    kinds = [
        (v, label)
        for v, label in CaseKind.choices
        if v != CaseKind.NEW and (v != CaseKind.TEKUN_TERMINATION or ent.program == Program.TEKUN)
    ]
    return render(request, "cases/adjustment_form.html", {"ent": ent, "kinds": kinds})
