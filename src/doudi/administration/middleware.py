"""Until the six-digit code is given, a signed-in user with an authenticator reaches only the code page and logout."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from doudi.administration.second_factor import needs_code

OPEN_URL_NAMES = ("login_verify", "logout", "set_language")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and needs_code(user):
            open_paths = {reverse(name) for name in OPEN_URL_NAMES}
            if request.path not in open_paths and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "second_factor_required", "message": _("请先输入两步验证码"), "field": None},
                        status=401, json_dumps_params={"ensure_ascii": False},
                    )
                return redirect(f"{reverse('login_verify')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
