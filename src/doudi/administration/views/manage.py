"""系统管理 → 用户: accounts and grants of the administrator's own area (``administration.authority``). Thin views:
forms parse, ``administration.services`` check and write (with the audit event), every refusal is a Chinese
message."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.models import RegionGrant
from doudi.administration import authority, selectors, services
from doudi.administration.forms import GrantForm, PasswordSetForm, UserCreateForm, UserForm, UserSearchForm
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.paging import paginate


def area_administrator(view):
    """Only users holding an administrator grant; anyone else gets the same 404 as a missing page."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not authority.is_area_administrator(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFoundOrForbidden:
            raise Http404 from None

    return wrapped


@area_administrator
def index(request):
    return render(request, "administration/manage_index.html")


@area_administrator
def user_list(request):
    form = UserSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, selectors.user_list(actor=request.user, query=query))
    names = [u.username for u in page.object_list]
    context = {
        "form": form,
        "page": page,
        "locked": selectors.locked_usernames(names),
        "second_factor": selectors.with_second_factor([u.pk for u in page.object_list]),
    }
    template = "administration/_user_results.html" if request.htmx else "administration/user_list.html"
    return render(request, template, context)


@area_administrator
def user_new(request):
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user, username=data["username"], display_name=data["display_name"],
                phone=data["phone"], department=data["department"], region=data["region"],
                password=data["password1"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已新建用户 %(name)s，请为其授予辖区角色") % {"name": user})
            return redirect("accounts:user_detail", user.pk)
    return render(request, "administration/user_new.html", {"form": form}, status=400 if form.errors else 200)


def _detail(request, user, *, edit=None, password=None, grant=None, grant_error="", status=200):
    initial = {"display_name": user.display_name, "phone": user.phone, "department": user.department,
               "region": user.region_id, "is_active": user.is_active}
    context = {
        "target": user,
        "grants": user.grants.select_related("region").order_by("region_id", "role"),
        "edit_form": edit or UserForm(initial=initial, actor=request.user),
        "password_form": password or PasswordSetForm(),
        "grant_form": grant or GrantForm(actor=request.user),
        "locked": user.username in selectors.locked_usernames([user.username]),
        "has_second_factor": user.pk in selectors.with_second_factor([user.pk]),
        "grant_error": grant_error,
    }
    if request.htmx and grant is not None:
        return render(request, "administration/_grants.html", context, status=status)
    return render(request, "administration/user_detail.html", context, status=status)


@area_administrator
def user_detail(request, pk: int):
    return _detail(request, selectors.user_get(actor=request.user, pk=pk))


@area_administrator
@require_POST
def user_edit(request, pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    form = UserForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.user_update(actor=request.user, user=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已保存"))
            return redirect("accounts:user_detail", user.pk)
    return _detail(request, user, edit=form, status=400)


@area_administrator
@require_POST
def user_password(request, pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_password(actor=request.user, user=user, password=form.cleaned_data["password1"])
        except DomainError as exc:
            form.add_error("password1", exc.message)
        else:
            messages.success(request, _("已重置密码，请通过安全渠道告知本人，并提醒其登录后修改"))
            return redirect("accounts:user_detail", user.pk)
    return _detail(request, user, password=form, status=400)


@area_administrator
@require_POST
def grant_add(request, pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    form = GrantForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            services.grant_add(actor=request.user, user=user, region=form.cleaned_data["region"],
                               role=form.cleaned_data["role"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if request.htmx:
                return _detail(request, user, grant=GrantForm(actor=request.user))
            messages.success(request, _("已授权"))
            return redirect("accounts:user_detail", user.pk)
    return _detail(request, user, grant=form, status=400)


@area_administrator
@require_POST
def grant_remove(request, pk: int, grant_pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    grant = get_object_or_404(RegionGrant, pk=grant_pk, user=user)
    try:
        services.grant_remove(actor=request.user, grant=grant)
    except DomainError as exc:
        if request.htmx:
            return _detail(request, user, grant=GrantForm(actor=request.user), grant_error=exc.message, status=400)
        messages.error(request, exc.message)
    if request.htmx:
        return _detail(request, user, grant=GrantForm(actor=request.user))
    return redirect("accounts:user_detail", user.pk)


@area_administrator
@require_POST
def user_unlock(request, pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    services.user_unlock(actor=request.user, user=user)
    messages.success(request, _("已解除 %(name)s 的登录锁定") % {"name": user})
    return redirect("accounts:user_detail", user.pk)


@area_administrator
@require_POST
def user_second_factor_reset(request, pk: int):
    user = selectors.user_get(actor=request.user, pk=pk)
    services.user_second_factor_reset(actor=request.user, user=user)
    messages.success(request, _("已重置 %(name)s 的两步验证；其可用密码登录后重新绑定") % {"name": user})
    return redirect("accounts:user_detail", user.pk)
