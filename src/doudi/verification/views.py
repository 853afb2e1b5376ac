"""Caseworker screens for verification: the household page (authorisations, requests, reports, discrepancies) and
the department-file upload for county staff. Views parse input and call selectors/services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.posted import PostedFlag, PostedForm, PostedText
from doudi.core.validators import InvalidInput, parse_date
from doudi.regions.models import Region
from doudi.registry.io.reader import UnreadableFile
from doudi.registry.models import Household
from doudi.registry.selectors import household_get, household_view_full
from doudi.verification import selectors, services
from doudi.verification.choices import AuthorisationMethod, DataDepartment, RequestStatus
from doudi.verification.loader import DepartmentFileError, department_file_load

COUNTY_PREFIX_LENGTH = 6


def _household_or_404(user, pk: int, action: str):
    try:
        return household_get(actor=user, pk=pk, action=action)
    except NotFoundOrForbidden:
        raise Http404 from None


def _back(pk: int, request=None):
    """Back to the household's verification page, or to the page the form came from (the case page's 核对 panel)
    when it is a path on this site."""
    nxt = request.POST.get("next", "") if request is not None else ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) and nxt.startswith("/"):
        return redirect(nxt)
    return redirect(reverse("verification:household", args=[pk]))


def _date(value: str, *, allow_future: bool) -> dt.date | None:
    """A posted date within range, or None when it is empty or not a sane date."""
    try:
        return parse_date(value, label=_("日期"), allow_future=allow_future)
    except InvalidInput:
        return None


class HouseholdQuery(PostedForm):
    tekun = PostedFlag()  # 特困: the supporters (赡养、扶养义务人) sign too


@login_required
def household(request, pk: int):
    try:
        hh = household_view_full(actor=request.user, pk=pk)  # economic data: audited full-record view
    except NotFoundOrForbidden:
        raise Http404 from None
    today = timezone.localdate()
    tekun = HouseholdQuery(request.GET).cleaned()["tekun"]
    requests = list(selectors.request_list(actor=request.user, household_id=hh.pk).select_related("report")[:5])
    latest = next((r for r in requests if r.status == RequestStatus.COMPLETED), None)
    report = selectors.report_view(actor=request.user, pk=latest.report.pk) if latest else None
    can_change = Household.objects.restrict(request.user, Action.CHANGE).filter(pk=hh.pk).exists()
    status = selectors.authorisation_status(household=hh, as_of=today, include_supporters=tekun)
    return render(
        request,
        "verification/household.html",
        {
            "household": hh,
            "tekun": tekun,
            "status": status,
            "complete": bool(status) and all(s["authorisation"] for s in status),
            "requests": requests,
            "report": report,
            "discrepancies": list(report.discrepancies.select_related("person")) if report else [],
            "can_change": can_change,
            "methods": AuthorisationMethod.choices,
            "today": today,
        },
    )


class AuthorisationForm(PostedForm):
    """A signed authorisation; a date that is empty or not sane reads as none (the view says which is missing)."""

    person_id = PostedText(missing=None)
    signed_at = PostedText()
    valid_until = PostedText()
    method = PostedText()
    signature_ref = PostedText()

    def clean(self):
        d = super().clean()
        d["valid_until_text"] = d["valid_until"]
        d["signed_at"] = _date(d["signed_at"], allow_future=False)
        d["valid_until"] = _date(d["valid_until"], allow_future=True)
        return d


@login_required
@require_POST
def authorisation_add(request, pk: int):
    hh = _household_or_404(request.user, pk, Action.CHANGE)
    d = AuthorisationForm(request.POST).cleaned()
    signed_at, valid_until = d["signed_at"], d["valid_until"]
    signers = selectors.required_signers(household=hh, as_of=signed_at or timezone.localdate(), include_supporters=True)
    person = next((s.person for s in signers if str(s.person.pk) == d["person_id"]), None)
    if person is None or signed_at is None:
        messages.error(request, _("请选择授权人并填写有效的签署日期（不晚于今天）"))
        return _back(pk)
    if d["valid_until_text"] and valid_until is None:
        messages.error(request, _("有效期至应为一年之内的有效日期"))
        return _back(pk)
    try:
        services.authorisation_record(
            actor=request.user,
            household=hh,
            person=person,
            method=d["method"],
            signed_at=signed_at,
            valid_until=valid_until,
            scan=request.FILES.get("scan"),
            signature_ref=d["signature_ref"],
        )
        messages.success(request, _("已记录 %(name)s 的核对授权") % {"name": person.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


class RequestForm(PostedForm):
    include_supporters = PostedFlag()


@login_required
@require_POST
def request_add(request, pk: int):
    hh = _household_or_404(request.user, pk, Action.CHANGE)
    try:
        supporters = RequestForm(request.POST).cleaned()["include_supporters"]
        services.verification_request(actor=request.user, household=hh, include_supporters=supporters)
        messages.success(request, _("已提交核对申请"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(pk)


@login_required
@require_POST
def request_run(request, pk: int):
    try:
        req = selectors.request_get(actor=request.user, pk=pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404 from None
    try:
        report = services.verification_run(actor=request.user, request=req)
        messages.success(request, _("核对完成，发现 %(n)d 处差异") % {"n": report.discrepancies.count()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(req.household_id, request)


class ResolveForm(PostedForm):
    # The report keeps 300 characters of the note (``Discrepancy.resolution_note``).
    note = PostedText(max_length=300, label=gettext_lazy("核实情况说明"))


@login_required
@require_POST
def discrepancy_resolve(request, pk: int, decision: str):
    if decision not in ("accept", "dismiss"):
        raise Http404
    try:
        d = selectors.discrepancy_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    try:
        note = ResolveForm(request.POST).cleaned()["note"]
        if decision == "accept":
            services.discrepancy_accept(actor=request.user, discrepancy=d, note=note)
            messages.success(request, _("已采信核对结果并更新家庭台账"))
        else:
            services.discrepancy_dismiss(actor=request.user, discrepancy=d, note=note)
            messages.success(request, _("已记录不予采信的核实情况"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(d.report.request.household_id, request)


def _county_regions(user) -> list[Region]:
    """Regions (county or above) where the user may import: department data is a county-level exchange."""
    prefixes = [p for p in region_prefixes(user, Action.IMPORT) if len(p) <= COUNTY_PREFIX_LENGTH]
    return list(Region.objects.filter(code__in=[p.ljust(12, "0") for p in prefixes]))


class DepartmentFileForm(PostedForm):
    region = PostedText()  # one of the user's county regions, else the first
    department = PostedText()  # checked by the loader against its list of departments


@login_required
def department_data(request):
    regions = _county_regions(request.user)
    if not regions:
        raise Http404
    context = {"departments": DataDepartment.choices, "regions": regions, "errors": []}
    if request.method == "POST":
        upload = request.FILES.get("file")
        d = DepartmentFileForm(request.POST).cleaned()
        region = next((r for r in regions if r.code == d["region"]), regions[0])
        if upload is None:
            context["errors"] = [_("请选择要导入的文件")]
        else:
            try:
                result = department_file_load(
                    actor=request.user,
                    department=d["department"],
                    filename=upload.name,
                    data=upload.read(),
                    region=region,
                )
                if result.already_loaded:
                    messages.info(request, _("该文件已导入过，未重复导入"))
                else:
                    messages.success(request, _("已导入 %(n)d 条记录") % {"n": result.rows})
                return redirect("verification:department_data")
            except DepartmentFileError as exc:
                context["errors"] = [exc.message, *exc.errors]
            except UnreadableFile as exc:
                context["errors"] = [exc.message]
    context["batches"] = selectors.batch_list(actor=request.user)[:50]
    return render(request, "verification/department_data.html", context)
