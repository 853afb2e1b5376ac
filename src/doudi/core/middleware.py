"""Responses that hold personal data are never kept by a browser or a proxy cache.

Rule: every response Django produces gets ``Cache-Control: no-store, private`` unless its view chose a
``Cache-Control`` itself. That covers every signed-in page, HTMX fragment, API answer and export (all of them carry
personal data or the user's own work), the login page, and the public notice (names that must disappear from public
view when the notice period ends). Static files are served by the web server (docs/deployment.md), not by Django,
and keep their own caching.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class RejectMalformedInputMiddleware:
    """A NUL character is never valid in any field of this platform, and PostgreSQL cannot store or even compare
    one: a request carrying one in its path, query string or form fields, or with a form body that cannot be parsed
    (a multipart body without its boundary), is answered 400 with a Chinese message before any view runs. JSON
    bodies of the API are checked field by field by ``core.schemas.InputSchema``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            bad = "\x00" in request.path or _has_nul(request.GET) or (
                request.method == "POST" and not request.content_type.endswith("json") and _has_nul(request.POST))
        except (MultiPartParserError, UnreadablePostError):
            return _bad_request(request, _("提交的数据格式有误，无法读取"))
        if bad:
            return _bad_request(request, _("输入中含有不允许的空字符（\\x00），请删除后重试"))
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


def _bad_request(request, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "invalid_input", "message": message, "field": None}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language (the footer's switch sets the language cookie).

    Django's own middleware would also follow the browser's Accept-Language, so a caseworker on a computer set up in
    English would meet English screens they did not ask for (docs/decisions.md). ``DOUDI_LANGUAGE`` sets the default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
