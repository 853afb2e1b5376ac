"""The applicant's phone (指尖办、一部手机办): apply, upload materials, sign the verification authorisation, follow
each case in plain words. Also the one download view for supporting documents, shared with caseworkers.

Views parse input and call services and selectors; the applicant's scope is their own current household.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.benefits.choices import Program
from doudi.cases import selectors
from doudi.cases.choices import FINAL_STATES, AttachmentKind, AuthorityLevel, State, Workflow
from doudi.cases.models import Case
from doudi.cases.services.attachments import attachment_add
from doudi.cases.views import FORM_CHOICES, _application_from_post, _case_or_404
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.core.validators import MAX_DB_ID, parse_int
from doudi.registry.models import Membership, Person
from doudi.verification import services as verification_services
from doudi.verification.selectors import authorisation_status
from doudi.verification.services import ADULT_AGE


def _yuan(fen: int | None) -> str:
    text = format_yuan(fen)
    return text[:-3] if text.endswith(".00") else text


def _day(d: dt.date) -> str:
    return _("%(m)d 月 %(d)d 日") % {"m": d.month, "d": d.day}


def case_status(case: Case, *, today: dt.date) -> str:
    """Where the case is, in the words an applicant uses (not the state's name)."""
    state = case.state
    decision = getattr(case, "decision", None) if state in FINAL_STATES else None
    if state == State.SUBMITTED:
        return _("已提交，等待乡镇（街道）受理")
    if state == State.RETURNED:
        if not case.application.missing_items:  # the applicant marked everything supplied; the township confirms
            return _("补正材料已提交，等待乡镇（街道）确认后重新受理")
        return _("需要补正材料，补齐后由乡镇（街道）重新受理")
    if state == State.ACCEPTED:
        return _("乡镇（街道）已受理，即将核对家庭经济状况")
    if state == State.VERIFYING:
        return _("正在核对家庭经济状况")
    if state == State.INVESTIGATING:
        return _("乡镇正在入户调查")
    if state == State.REINVESTIGATING:
        return _("乡镇正在重新调查")
    if state == State.TOWNSHIP_REVIEWED:
        return _("乡镇已初审，即将公示")
    if state == State.PUBLIC_NOTICE:
        notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
        if notice and notice.ends_on < today:
            who = _("县级民政部门") if case.authority_level == AuthorityLevel.COUNTY else _("乡镇（街道）")
            return _("公示期满，等待%(who)s审核确认") % {"who": who}
        return _("公示中，至 %(day)s") % {"day": _day(notice.ends_on)} if notice else _("公示中")
    if state == State.OBJECTION:
        return _("公示期间收到异议，正在核实")
    if state == State.ADVANCE_PAID:
        temp = getattr(case, "temporary", None)
        amount = temp.approved_fen if temp and temp.approved_fen else None
        return _("已先行救助 %(amt)s 元") % {"amt": _yuan(amount)} if amount else _("已先行救助")
    if state == State.DECIDED_APPROVED:
        if decision is None or not decision.monthly_fen:
            return _("已批准")
        if case.program == Program.TEMPORARY:
            return _("已批准，救助 %(amt)s 元") % {"amt": _yuan(decision.monthly_fen)}
        if decision.start_month:
            return _("已批准，每月 %(amt)s 元，自 %(y)d 年 %(m)d 月起") % {
                "amt": _yuan(decision.monthly_fen), "y": decision.start_month.year, "m": decision.start_month.month}
        return _("已批准，每月 %(amt)s 元") % {"amt": _yuan(decision.monthly_fen)}
    if state == State.DECIDED_REJECTED:
        return _("不予批准，理由见通知书；不服可申请行政复议或提起行政诉讼")
    if state == State.TERMINATED:
        return _("审核已终止")
    if case.workflow in {Workflow.EMERGENCY, Workflow.EXPENDITURE}:
        return _("已办结")
    return State(state).label


def _household_of(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    membership = Membership.objects.filter(person=person).as_of(timezone.localdate()).select_related(
        "household").first()
    if membership is None:
        raise Http404
    return person, membership.household


def _signers(person: Person, household, apps, today: dt.date) -> list[dict]:
    """Each person who must authorise, masked ID only, and what the applicant may do about it."""
    tekun = any(
        c.program == Program.TEKUN and c.state not in FINAL_STATES for a in apps for c in a.cases.all()
    )  # S2 Art 10 ¶3: for 特困 the statutory supporters authorise too
    adult = person.age_on(today) >= ADULT_AGE
    rows = authorisation_status(household=household, as_of=today, include_supporters=tekun)
    for row in rows:
        p = row["person"]
        row["is_me"] = p.pk == person.pk
        row["minor"] = p.age_on(today) < ADULT_AGE
        row["can_sign"] = row["authorisation"] is None and row["role"] == "member" and (
            row["is_me"] or (row["minor"] and adult))
    return rows


@login_required
def self_service(request):
    """Citizen self-service (指尖办): apply for one's own household; upload materials; sign the authorisation; see
    where each case is, its deadline, the feedback and the decision notice."""
    person, household = _household_of(request)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            app = _application_from_post(request, household, person)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申请已提交，编号 %(n)s") % {"n": app.number})
            return redirect("cases:self_service")
    apps = list(selectors.application_list(actor=request.user, household_id=household.pk).prefetch_related(
        "cases__decision", "cases__notices", "cases__temporary"))
    for app in apps:
        app.case_rows = [{"case": c, "status": case_status(c, today=today), "final": c.state in FINAL_STATES,
                          "decision": getattr(c, "decision", None)} for c in app.cases.all()]
        app.open = any(not r["final"] for r in app.case_rows)
        app.files = list(selectors.attachment_list(actor=request.user, application_id=app.pk))
    return render(request, "cases/self_service.html", {
        "household": household, "person": person, "applications": apps, "self_service": True,
        "signers": _signers(person, household, apps, today), "attachment_kinds": AttachmentKind.choices,
        "feedback": selectors.applicant_feedback(household=household), **FORM_CHOICES})


def _posted_id(request, name: str) -> int:
    return parse_int(request.POST.get(name), label=_("编号"), minimum=1, maximum=MAX_DB_ID, default=0)


@login_required
@require_POST
def self_service_upload(request):
    _person, household = _household_of(request)
    try:
        app = selectors.application_list(actor=request.user, household_id=household.pk).filter(
            pk=_posted_id(request, "application")).first()
        if app is None:
            raise NotFoundOrForbidden(_("未找到该申请"))
        row = attachment_add(actor=request.user, application=app, kind=request.POST.get("kind", ""),
                             upload=request.FILES.get("file"), supplies_item=request.POST.get("supplies_item", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传：%(name)s") % {"name": row.original_name})
    return redirect(reverse("cases:self_service") + "#applications")


@login_required
@require_POST
def self_service_sign(request):
    _person, household = _household_of(request)
    try:
        signer = Membership.objects.filter(household=household, person_id=_posted_id(request, "person")).as_of(
            timezone.localdate()).select_related("person").first()
        if signer is None:
            raise NotFoundOrForbidden(_("未找到该家庭成员"))
        verification_services.authorisation_esign(actor=request.user, person=signer.person,
                                                  confirm_name=request.POST.get("confirm_name", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签署 %(name)s 的家庭经济状况核对授权") % {"name": signer.person.name})
    return redirect(reverse("cases:self_service") + "#authorisation")


@login_required
@require_POST
def case_attachment_add(request, pk: int):
    """At the window: the caseworker adds a document to the case's application."""
    case = _case_or_404(request, pk)
    try:
        attachment_add(actor=request.user, application=case.application_id, case=case,
                       kind=request.POST.get("kind", ""), upload=request.FILES.get("file"))
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("材料已上传"))
    return redirect("cases:case_detail", pk=pk)


@login_required
def attachment_download(request, pk: int):
    """The only way to read a stored document: scoped (404 the same for missing and not yours) and audited."""
    try:
        row = selectors.attachment_open(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    response = FileResponse(row.file.open("rb"), content_type=row.content_type, as_attachment=True,
                            filename=row.original_name or f"attachment-{row.pk}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
