"""The REST API (django-ninja), mounted at /api/ with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each app contributes a router from its own ``api.py``; errors are ``DomainError`` codes with Chinese messages.
The docs and the schema are for staff users (``is_staff``, set by an installation administrator for the people who
build integrations): the Swagger page loads its JavaScript and CSS from this site's static files (django-ninja's
own copies), never from a CDN, so it works offline and under the Content-Security-Policy.
"""

from __future__ import annotations

import json
from functools import wraps
from importlib import import_module
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from doudi.core.errors import DomainError


def staff_only(view):
    """The API docs and schema: anonymous visitors go to the login page, signed-in users who are not staff get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ChineseJSONRenderer(JSONRenderer):
    """django-ninja escapes Chinese as \\uXXXX by default; caseworkers and logs should read it as it is."""

    def render(self, request, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


api = NinjaAPI(
    title="兜底 doudi API",
    version="1",
    description="社会救助综合管理信息平台接口。所有接口按用户辖区授权限定数据范围。",
    renderer=ChineseJSONRenderer(),
    auth=django_auth,
    urls_namespace="api",
    docs_decorator=staff_only,
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"code": exc.code, "message": exc.message, "field": exc.field}
    if getattr(exc, "errors", None):  # row-level errors of a rejected file or push (monitoring feeds)
        body["errors"] = exc.errors
    return api.create_response(request, body, status=exc.http_status)


# Pydantic's error types, said in Chinese (the English text stays in ``detail`` for the people building clients).
_INVALID = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "date_parsing": "日期格式应为 年-月-日",
    "date_from_datetime_parsing": "日期格式应为 年-月-日",
    "date_type": "日期格式应为 年-月-日",
    "greater_than_equal": "超出允许范围",
    "less_than_equal": "超出允许范围",
    "greater_than": "超出允许范围",
    "less_than": "超出允许范围",
    "string_too_long": "文字过长",
    "too_short": "条数不足",
    "too_long": "条数过多",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "格式不正确",
    "dict_type": "格式不正确",
}
_LOCATIONS = {"body", "query", "path", "payload", "data", "cookie", "header", "form"}


@api.exception_handler(ValidationError)
def invalid_input(request, exc: ValidationError):
    """Bad input answers 422 in the same ``{code, message, field}`` shape as every other error, in Chinese."""
    first = exc.errors[0] if exc.errors else {}
    field = ".".join(str(part) for part in first.get("loc", ()) if str(part) not in _LOCATIONS)
    kind = first.get("type", "")
    why = _INVALID.get(kind)
    if why is None and kind == "value_error":  # our own validators speak Chinese already
        why = str(first.get("msg", "")).removeprefix("Value error, ")
    message = _("输入有误：%(field)s%(why)s") % {"field": f"{field} " if field else "", "why": why or _("格式不正确")}
    body = {"code": "invalid_input", "message": message, "field": field or None, "detail": exc.errors}
    return api.create_response(request, body, status=422)


# One router per app that has an API, from its ``api.py``, mounted at /api/<app>/. A module that cannot be imported
# stops the start-up with its real error (a missing router is a bug, not an option); tests/test_api_routers.py checks
# that every ``doudi/<app>/api.py`` is listed here.
ROUTERS: list[tuple[str, str]] = [
    ("/cases/", "doudi.cases.api"),
    ("/temporary/", "doudi.temporary.api"),
    ("/verification/", "doudi.verification.api"),
    ("/referrals/", "doudi.referrals.api"),
    ("/payments/", "doudi.payments.api"),
    ("/reviews/", "doudi.reviews.api"),
    ("/monitoring/", "doudi.monitoring.api"),
    ("/hotline/", "doudi.hotline.api"),
    ("/medical/", "doudi.medical.api"),
]

for _prefix, _module in ROUTERS:
    api.add_router(_prefix, import_module(_module).router)
