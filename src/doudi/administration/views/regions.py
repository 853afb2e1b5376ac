"""系统管理 → 区划: attributes of the regions below the administrator's own
(``administration.authority.owned_regions``). The name is corrected at once; 城乡 type and policy profile change by
maker-checker (``administration.region_services``). The office particulars of the administrator's own region and of
those below are kept here too (``authority.office_regions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.administration import authority
from doudi.administration import region_services as services
from doudi.administration.choices import ChangeStatus
from doudi.administration.models import RegionChange
from doudi.administration.region_forms import ChangeForm, DecisionForm, OfficeForm, RegionSearchForm, RenameForm
from doudi.administration.views.manage import area_administrator
from doudi.core.errors import DomainError
from doudi.core.paging import paginate
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


def _owned(request, code: str) -> Region:
    region = authority.owned_regions(request.user).filter(pk=code).select_related("parent").first()
    if region is None:
        raise Http404
    return region


def _kept(request, code: str) -> Region:
    region = authority.office_regions(request.user).filter(pk=code).select_related("parent").first()
    if region is None:
        raise Http404
    return region


def _open_changes(actor: User):
    owned = authority.owned_regions(actor).values("pk")
    return (RegionChange.objects.filter(region__in=owned, status=ChangeStatus.PENDING)
            .select_related("region", "requested_by").order_by("requested_at"))


@area_administrator
def region_list(request):
    form = RegionSearchForm(request.GET or None)
    qs = authority.office_regions(request.user).select_related("parent")
    if form.is_valid():
        if form.cleaned_data["q"]:
            qs = qs.filter(Q(name__contains=form.cleaned_data["q"]) | Q(parent__name__contains=form.cleaned_data["q"]))
        if form.cleaned_data["level"]:
            qs = qs.filter(level=form.cleaned_data["level"])
    context = {"form": form, "page": paginate(request, qs), "pending": _open_changes(request.user)}
    return render(request, "administration/region_list.html", context)


def _detail(request, region, *, rename=None, change=None, office=None, status=200):
    profiles = dict(services.profile_choices())
    context = {
        "region": region,
        "owned": authority.owns_region(request.user, region),
        "office_form": office or OfficeForm(initial={f: getattr(region, f) for f in services.OFFICE_FIELDS}),
        "rename_form": rename or RenameForm(initial={"name": region.name}),
        "change_form": change or ChangeForm(initial={"area_type": region.area_type, "profile": region.profile}),
        "decision_form": DecisionForm(),
        "changes": region.changes.select_related("requested_by", "decided_by"),
        "profile_label": profiles.get(region.profile, region.profile),
        "effective_profile": profiles.get(region.effective_profile(), region.effective_profile()),
        "open_change": region.changes.filter(status__in=services.OPEN).exists(),
    }
    return render(request, "administration/region_detail.html", context, status=status)


@area_administrator
def region_detail(request, code: str):
    return _detail(request, _kept(request, code))


@area_administrator
@require_POST
def region_office(request, code: str):
    region = _kept(request, code)
    form = OfficeForm(request.POST)
    if form.is_valid():
        try:
            services.region_office_update(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("办理机关信息已更正"))
            return redirect("regions:region_detail", region.code)
    return _detail(request, region, office=form, status=400)


@area_administrator
@require_POST
def region_rename(request, code: str):
    region = _owned(request, code)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            services.region_rename(actor=request.user, region=region, name=form.cleaned_data["name"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("名称已更正"))
            return redirect("regions:region_detail", region.code)
    return _detail(request, region, rename=form, status=400)


@area_administrator
@require_POST
def change_request(request, code: str):
    region = _owned(request, code)
    form = ChangeForm(request.POST)
    if form.is_valid():
        try:
            services.region_change_request(actor=request.user, region=region, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("变更已提交，须由另一名管理员复核后生效"))
            return redirect("regions:region_detail", region.code)
    return _detail(request, region, change=form, status=400)


@area_administrator
@require_POST
def change_decide(request, pk: int, decision: str):
    change = RegionChange.objects.filter(pk=pk, region__in=authority.owned_regions(request.user).values("pk")).first()
    if change is None or decision not in ("confirm", "reject"):
        raise Http404
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        if decision == "confirm":
            services.region_change_confirm(actor=request.user, change=change, note=note)
            messages.success(request, _("已复核通过"))
        else:
            services.region_change_reject(actor=request.user, change=change, note=note)
            messages.success(request, _("已退回"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("regions:region_detail", change.region_id)
