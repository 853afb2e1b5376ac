"""The REST API (django-ninja), mounted at /api/ with its OpenAPI schema at /api/openapi.json and docs at /api/docs.

Each app contributes a router from its own ``api.py``; errors are ``DomainError`` codes with Chinese messages.
"""

from __future__ import annotations

import json
from importlib import import_module
from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from doudi.core.errors import DomainError


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
)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return api.create_response(
        request, {"code": exc.code, "message": exc.message, "field": exc.field}, status=exc.http_status
    )


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
]

for _prefix, _module in ROUTERS:
    api.add_router(_prefix, import_module(_module).router)
