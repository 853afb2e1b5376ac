"""Sign-in: password (with django-axes lockout), then the second-factor code for users who enrolled one."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.administration import second_factor


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """django-axes lockout answer: the login page again, in Chinese, with HTTP 429."""
    message = _("登录失败次数过多，该账号已在本机暂时锁定。请 %(minutes)d 分钟后再试，或联系上级管理员解除锁定。") % {
        "minutes": _lockout_minutes()
    }
    return render(request, "web/login.html", {"locked_message": message, "form": None}, status=429)


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"

    def get_success_url(self):
        url = super().get_success_url()
        if second_factor.needs_code(self.request.user):
            return f"{reverse('login_verify')}?{urlencode({'next': url})}"
        return url


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6位验证码"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def login_verify(request):
    if request.user.is_verified() or not second_factor.needs_code(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if second_factor.verify(request, form.cleaned_data["token"]):
            return redirect(_next(request))
        form.add_error("token", _("验证码不正确或已过期，请查看手机上当前显示的6位数字。多次输错需等待更久才能再试。"))
    if request.method == "POST":
        status = 400
    return render(request, "administration/login_verify.html", {"form": form, "next": _next(request)}, status=status)
