"""The applicant's pages. Views parse input and call services and selectors; the applicant's scope is their own
current household."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.benefits.choices import Program
from doudi.cases import selectors as case_selectors
from doudi.cases.choices import FINAL_STATES, AttachmentKind
from doudi.cases.forms import APPLICATION_CHOICES, application_from_post
from doudi.cases.services.attachments import attachment_add
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.posted import PostedForm, PostedText
from doudi.core.validators import MAX_DB_ID, parse_int
from doudi.registry.models import Membership, Person
from doudi.selfservice.selectors import applicant_feedback
from doudi.selfservice.status import case_status
from doudi.verification import services as verification_services
from doudi.verification.selectors import authorisation_status
from doudi.verification.services import ADULT_AGE


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
def home(request):
    """Citizen self-service (指尖办): apply for one's own household; upload materials; sign the authorisation; see
    where each case is, its deadline, the feedback and the decision notice."""
    person, household = _household_of(request)
    today = timezone.localdate()
    if request.method == "POST":
        try:
            app = application_from_post(request, household, person)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("申请已提交，编号 %(n)s") % {"n": app.number})
            return redirect("selfservice:home")
    apps = list(case_selectors.application_list(actor=request.user, household_id=household.pk).prefetch_related(
        "cases__decision", "cases__notices", "cases__temporary"))
    for app in apps:
        app.case_rows = [{"case": c, "status": case_status(c, today=today), "final": c.state in FINAL_STATES,
                          "decision": getattr(c, "decision", None)} for c in app.cases.all()]
        app.open = any(not r["final"] for r in app.case_rows)
        app.files = list(case_selectors.attachment_list(actor=request.user, application_id=app.pk))
    return render(request, "selfservice/home.html", {
        "household": household, "person": person, "applications": apps, "self_service": True,
        "signers": _signers(person, household, apps, today), "attachment_kinds": AttachmentKind.choices,
        "feedback": applicant_feedback(household=household), **APPLICATION_CHOICES})


class _IdForm(PostedForm):
    """A form whose first field is the id of a row the page posted: a Chinese message when it is not a whole number
    in range (``编号应为整数``), 0 when empty (then "not found")."""

    id_field = ""

    def clean(self):
        d = super().clean()
        d[self.id_field] = self.parse(parse_int, d[self.id_field], label=_("编号"), minimum=1, maximum=MAX_DB_ID,
                                      default=0)
        return d


class UploadForm(_IdForm):
    id_field = "application"
    application = PostedText()  # one of the applicant's household's applications, else "未找到该申请"
    kind = PostedText()  # the service refuses an unknown kind ("请选择材料类型")
    supplies_item = PostedText()  # must be on the one-time notice, checked by the service


class SignForm(_IdForm):
    id_field = "person"
    person = PostedText()  # a member of the applicant's household, else "未找到该家庭成员"
    confirm_name = PostedText()  # compared with the signer's name by the service, never stored


@login_required
@require_POST
def upload(request):
    _person, household = _household_of(request)
    try:
        d = UploadForm(request.POST).cleaned()
        app = case_selectors.application_list(actor=request.user, household_id=household.pk).filter(
            pk=d["application"]).first()
        if app is None:
            raise NotFoundOrForbidden(_("未找到该申请"))
        row = attachment_add(actor=request.user, application=app, kind=d["kind"], upload=request.FILES.get("file"),
                             supplies_item=d["supplies_item"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传：%(name)s") % {"name": row.original_name})
    return redirect(reverse("selfservice:home") + "#applications")


@login_required
@require_POST
def sign(request):
    _person, household = _household_of(request)
    try:
        d = SignForm(request.POST).cleaned()
        signer = Membership.objects.filter(household=household, person_id=d["person"]).as_of(
            timezone.localdate()).select_related("person").first()
        if signer is None:
            raise NotFoundOrForbidden(_("未找到该家庭成员"))
        verification_services.authorisation_esign(actor=request.user, person=signer.person,
                                                  confirm_name=d["confirm_name"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已签署 %(name)s 的家庭经济状况核对授权") % {"name": signer.person.name})
    return redirect(reverse("selfservice:home") + "#authorisation")
