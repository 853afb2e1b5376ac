"""One's own account: change the password (with the old one) and set up the second factor (两步验证)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from doudi.administration import second_factor
from doudi.administration.views.auth import CodeForm
from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record
from doudi.core.errors import DomainError


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            audit_record(actor=user, action=AuditAction.UPDATE, obj=user, region_code=actor_region_code(user),
                         changes={"password": ["***", _("***（已修改）")]}, reason=_("本人修改密码"))
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改"))
        return redirect("web:home")
    return render(request, "administration/password_change.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def second_factor_setup(request):
    user = request.user
    if not second_factor.may_enrol(user):
        raise Http404
    device = second_factor.confirmed_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if device is None:
                second_factor.enrol_confirm(request, form.cleaned_data["token"])
                messages.success(request, _("两步验证已启用：以后登录时需输入手机上的6位验证码"))
            else:
                second_factor.disable(request, form.cleaned_data["token"])
                messages.success(request, _("两步验证已停用"))
        except DomainError as exc:
            form.add_error("token", exc.message)
        else:
            return redirect("accounts:second_factor")
    context = {"form": form, "device": device}
    if device is None:
        pending = second_factor.pending_device(user)
        context.update(qr_svg=second_factor.qr_svg(pending), secret=second_factor.secret_text(pending))
    return render(request, "administration/second_factor.html", context, status=400 if form.errors else 200)
