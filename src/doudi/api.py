"""The REST API (django-ninja), mounted at /api/ with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each app contributes a router from its own ``api.py``; errors are ``DomainError`` codes with Chinese messages.
The docs and the schema are for staff users (``is_staff``, set by an installation administrator for the people who
build integrations): the Swagger page loads its JavaScript and CSS from this site's static files (django-ninja's
own copies), never from a CDN, so it works offline and under the Content-Security-Policy.
"""

from __future__ import annotations

import json
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
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
    return api.create_response(
        request, {"code": exc.code, "message": exc.message, "field": exc.field}, status=exc.http_status
    )


def _register_routers() -> None:
    # Apps add their routers here: api.add_router("/cases/", "doudi.cases.api.router")
    from importlib import import_module

    for prefix, module in ROUTERS:
        try:
            router = import_module(module).router
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):  # a missing dependency inside it is a real error
                raise
            continue
        api.add_router(prefix, router)


ROUTERS: list[tuple[str, str]] = [
    ("/cases/", "doudi.cases.api"),
    ("/verification/", "doudi.verification.api"),
    ("/referrals/", "doudi.referrals.api"),
    ("/registry/", "doudi.registry.api"),
    ("/payments/", "doudi.payments.api"),
    ("/funds/", "doudi.funds.api"),
    ("/reviews/", "doudi.reviews.api"),
]
_register_routers()
