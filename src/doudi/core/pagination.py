"""One way to page the API's lists: ``limit``/``offset`` with the total ``count`` (docs/decisions.md, "API lists").

Every list endpoint is ``@paged`` (django-ninja's ``paginate(Page)``) and returns a scoped queryset, or
``Rows(queryset, fn)`` when each row is turned into the response dict by a function (labels, next steps, the caller
shown to this user): the function then runs for the rows of the page only. The answer is
``{"items": [...], "count": N}`` where ``count`` is the number of rows the user may see with these filters; a
``limit`` above ``MAX_LIMIT`` is refused with the usual Chinese 422 (never cut silently), and ``stable()`` gives
every list a unique last sort key so page 2 starts where page 1 ended.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from doudi.core.validators import MAX_DB_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def stable(qs: QuerySet) -> QuerySet:
    """The queryset in its own order (or its model's default order) with the primary key as the last sort key, so
    rows that tie on every other key still come in one fixed order across pages."""
    order = list(qs.query.order_by) or (list(qs.model._meta.ordering) if qs.query.default_ordering else [])
    if not any(isinstance(term, str) and term.lstrip("-") in ("id", "pk") for term in order):
        order.append("-id")
    return qs.order_by(*order)


class Rows:
    """A queryset whose rows become API dicts only once the page is cut (``fn`` may be one query per row)."""

    def __init__(self, queryset: QuerySet, fn: Callable[[Any], dict]):
        self.queryset = queryset
        self.fn = fn

    def all(self) -> QuerySet:  # the paginator counts through ``.all().count()``
        return self.queryset.all()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.fn(row) for row in self.queryset[window]]


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"每页条数，最多 {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_DB_ID, description="跳过前面多少条（第 n 页：(n-1)×limit）")

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="按当前筛选条件、在您辖区内的总条数")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


def paged(func: Callable) -> Callable:
    """``paginate(Page)`` for an endpoint of a module with ``from __future__ import annotations``: ninja reads the
    parameters' types through the wrapper, whose globals are ninja's, so a string annotation such as ``Id`` would
    not resolve there; they are resolved here, in the endpoint's own module, first."""
    func.__annotations__ = typing.get_type_hints(func, include_extras=True)
    return paginate(Page)(func)
