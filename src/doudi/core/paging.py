"""One way to page long lists, so no screen silently cuts a county's list at an arbitrary row — and page 40 000 of a
million households costs what page 1 does.

``paginate(request, items)`` pages a queryset by keyset (seek): the page after a row is "the rows ordered after
this row's sort key", an indexed range, never ``OFFSET``. Links carry the key of the page's last row (``after``) or
first row (``before``); ``last`` reads the list backwards. Instead of typing a page number (which would need the
database to walk every earlier row), ``from`` jumps to the first row whose leading sort key reaches a value (a
household number, a date). The total is estimated by the planner on PostgreSQL when it is large (``约 N 条``; a
``count=exact`` link asks for the exact figure) and counted exactly otherwise. The old ``page=N`` still works
(OFFSET: fine for the first pages of a short list). Lists that are not querysets page with Django's Paginator.

The ordering is the queryset's own (plus the primary key as a tie-breaker when it is missing); each sort term
becomes an annotation ``_k0 …`` so expressions (a rank) and related fields page too. NULLs are put last in
ascending and first in descending order on every database, and the seek conditions follow that order.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.utils import timezone

PER_PAGE = 50
# Below this many rows (by the planner's estimate) the exact count is cheap: show it.
EXACT_BELOW = 5000
CURSOR_PARAMS = ("page", "after", "before", "last", "n", "count", "from")


def paginate(request, items, per_page: int = PER_PAGE, jump: Callable[[str], list | None] | None = None,
             span: tuple[Any, Any] | None = None):
    """``jump``: what the typed 跳至 text means as values of the leading sort keys (default: the first key's value),
    e.g. a household number → (its village code, the number) for a list sorted by village and number.
    ``span``: (lowest, highest) value the leading key can take in this list (e.g. ``scoping.region_span``); a read
    from either end of the list starts its index scan there instead of at the end of the index. The rows are the
    same: the list's own filter already keeps the key inside the span."""
    if not isinstance(items, QuerySet) or "page" in request.GET or not _keyable(items):
        page = Paginator(items, per_page).get_page(request.GET.get("page"))
        page.querystring = _querystring(request)  # the filters, kept on every page link
        page.keyset = False
        return page
    return KeysetPaginator(items, per_page, jump, span).page(request)


def _querystring(request) -> str:
    params = request.GET.copy()
    for key in CURSOR_PARAMS:
        params.pop(key, None)
    return params.urlencode()


def _keyable(qs: QuerySet) -> bool:
    q = qs.query
    return not (q.combinator or q.distinct or q.is_sliced or qs._fields is not None or q.group_by)


@dataclass
class Key:
    alias: str
    descending: bool
    output: Any  # a model field, for to_python and null-ness
    nullable: bool


class KeysetPaginator:
    def __init__(self, qs: QuerySet, per_page: int, jump: Callable[[str], list | None] | None = None,
                 span: tuple[Any, Any] | None = None):
        self.per_page = per_page
        self.jump_values = jump
        self.span = span
        self.base = qs
        self.qs, self.keys = _keyed(qs)

    def page(self, request) -> KeysetPage:
        get = request.GET
        rows: list
        has_prev = has_next = False
        number = _int(get.get("n"), 1)
        after = self._decode(get.get("after"))
        before = self._decode(get.get("before"))
        jump = get.get("from", "").strip()
        if before is not None:
            rows = list(self.qs.filter(self._seek(before, backwards=True)).order_by(*self._order(True))
                        [: self.per_page + 1])
            has_prev, rows, has_next = len(rows) > self.per_page, rows[: self.per_page][::-1], True
        elif get.get("last"):
            rows = list(self._from_end(self.qs, backwards=True).order_by(*self._order(True))[: self.per_page + 1])
            has_prev, rows = len(rows) > self.per_page, rows[: self.per_page][::-1]
            number = 0
        else:
            qs = self.qs
            if after is not None:
                qs, has_prev = qs.filter(self._seek(after)), True
            elif jump and (q := self._jump(jump)) is not None:
                qs, has_prev, number = qs.filter(q), True, 0
            else:
                qs = self._from_end(qs, backwards=False)
            rows = list(qs[: self.per_page + 1])
            has_next, rows = len(rows) > self.per_page, rows[: self.per_page]
        total, exact = estimate_count(self.base, exact=get.get("count") == "exact")
        return KeysetPage(
            object_list=rows, per_page=self.per_page, has_next=has_next, has_previous=has_prev, number=number,
            total=total, exact=exact, querystring=_querystring(request),
            first_cursor=self._encode(rows[0]) if rows else "", last_cursor=self._encode(rows[-1]) if rows else "",
            jump_value=jump, can_jump=self.jump_values is not None or self._jump_field() is not None,
            filters=[(k, v) for k, vs in get.lists() if k not in CURSOR_PARAMS for v in vs],
        )

    # -- ordering and seeking ------------------------------------------------------------------------------
    def _order(self, backwards: bool = False) -> list[OrderBy]:
        return _order_by(self.keys, backwards)

    def _from_end(self, qs: QuerySet, *, backwards: bool) -> QuerySet:
        """A read from the start (or, ``backwards``, the end) of the list: the leading key's ``span`` bound on that
        side, plain, so it becomes the index condition where the scan starts."""
        if self.span is None or not self.keys:
            return qs
        k = self.keys[0]
        desc = k.descending != backwards
        lo, hi = self.span
        return qs.filter(**{f"{k.alias}__lte": hi} if desc else {f"{k.alias}__gte": lo})

    def _seek(self, values: list, backwards: bool = False, inclusive: bool = False) -> Q:
        """Rows strictly after ``values`` in the page order (before them when ``backwards``); ``values`` may cover
        only the leading keys, and ``inclusive`` also takes the rows equal on them."""
        seek = Q(pk__in=[])
        equal = Q()
        for k, v in zip(self.keys, values, strict=False):
            desc = k.descending != backwards
            seek |= equal & _beyond(k, v, desc)
            equal &= Q(**{f"{k.alias}__isnull": True}) if v is None else Q(**{k.alias: v})
        seek = seek | equal if inclusive else seek
        # The leading key's own bound, redundant but plain: it becomes the index condition (a range scan that starts
        # at the cursor), where the OR above alone would make PostgreSQL walk the index from its start.
        k, v = self.keys[0], values[0]
        desc = k.descending != backwards
        if v is not None and (desc or not k.nullable):
            seek &= Q(**{f"{k.alias}__{'lte' if desc else 'gte'}": v})
        return seek

    def _jump_field(self) -> Key | None:
        """The leading key, when it is a plain column a caseworker can type (a number, a code, a date)."""
        k = self.keys[0] if self.keys else None
        if k is None or not hasattr(k.output, "get_internal_type"):
            return None
        kinds = {"CharField", "DateField", "DateTimeField", "BigAutoField", "AutoField", "IntegerField"}
        return k if k.output.get_internal_type() in kinds else None

    def _jump(self, text: str) -> Q | None:
        """Rows from the first whose leading key reaches ``text`` (a date for a date-time key: that whole day)."""
        if self.jump_values is not None:
            values = self.jump_values(text)
            if not values or len(values) > len(self.keys):
                return None
            return self._seek(values, inclusive=True)
        k = self._jump_field()
        if k is None:
            return None
        try:
            if k.output.get_internal_type() == "DateTimeField":
                day = dt.date.fromisoformat(text[:10])
                tz = timezone.get_current_timezone()
                # Bounds in UTC: a day at either end of the calendar overflows here, not in the database adapter.
                start = dt.datetime.combine(day, dt.time(), tz).astimezone(dt.UTC)
                if k.descending:
                    return Q(**{f"{k.alias}__lt": start + dt.timedelta(days=1)})
                return Q(**{f"{k.alias}__gte": start})
            value = k.output.to_python(text)
        except (ValueError, TypeError, OverflowError, ValidationError):  # unparseable: no jump, never a 500
            return None
        if value is None:
            return None
        return Q(**{f"{k.alias}__{'lte' if k.descending else 'gte'}": value})

    # -- cursors ---------------------------------------------------------------------------------------------
    def _encode(self, row) -> str:
        values = [_plain(getattr(row, k.alias)) for k in self.keys]
        return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")

    def _decode(self, text: str | None) -> list | None:
        if not text:
            return None
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            if not isinstance(raw, list) or len(raw) != len(self.keys):
                return None
            return [None if v is None else _cursor_value(k, v) for k, v in zip(self.keys, raw, strict=True)]
        except (ValueError, TypeError, OverflowError, ValidationError):  # tampered or stale: the first page
            return None


def _cursor_value(k: Key, raw):
    value = k.output.to_python(raw)
    if isinstance(value, dt.datetime) and settings.USE_TZ:
        # Our cursors carry aware times; a naive or out-of-range one (0001-01-01 east of UTC) would only fail when
        # the database adapter converts it to UTC, as a server error: convert it here, where it is caught.
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        value.astimezone(dt.UTC)
    return value


def _beyond(k: Key, v, desc: bool) -> Q:
    """The key's part of "after this row": NULLs sort last ascending and first descending."""
    if v is None:
        return Q(**{f"{k.alias}__isnull": False}) if desc else Q(pk__in=[])
    q = Q(**{f"{k.alias}__{'lt' if desc else 'gt'}": v})
    if k.nullable and not desc:
        q |= Q(**{f"{k.alias}__isnull": True})
    return q


def _keyed(qs: QuerySet) -> tuple[QuerySet, list[Key]]:
    opts = qs.model._meta
    terms = list(qs.query.order_by or (opts.ordering or []))
    pk = opts.pk
    annotations: dict[str, BaseExpression] = {}
    keys: list[Key] = []
    unique_seen = False
    for i, term in enumerate(terms):
        expr, desc = _term(term)
        if expr is None:
            continue
        alias = f"_k{i}"
        annotations[alias] = expr
        output, nullable, unique = _describe(qs, expr)
        keys.append(Key(alias, desc, output, nullable))
        unique_seen = unique_seen or unique
    if not unique_seen:
        alias = f"_k{len(terms)}"
        annotations[alias] = F("pk")
        keys.append(Key(alias, bool(keys) and keys[-1].descending, pk, False))
    return qs.annotate(**annotations).order_by(*_order_by(keys)), keys


def _order_by(keys: list[Key], backwards: bool = False) -> list[OrderBy]:
    """The page order (reversed when ``backwards``): NULLs last ascending, first descending."""
    return [F(k.alias).desc(nulls_first=True) if k.descending != backwards else F(k.alias).asc(nulls_last=True)
            for k in keys]


def _term(term) -> tuple[BaseExpression | None, bool]:
    if isinstance(term, str):
        if term == "?":
            return None, False
        desc = term.startswith("-")
        name = term.lstrip("-")
        return F("pk" if name == "pk" else name), desc
    if isinstance(term, OrderBy):
        return term.expression, term.descending
    if isinstance(term, BaseExpression):
        return term, False
    return None, False


def _describe(qs: QuerySet, expr) -> tuple[Any, bool, bool]:
    """(field for to_python, nullable, unique) of a sort expression."""
    resolved = qs.annotate(_probe=expr).query.annotations["_probe"]
    target = getattr(resolved, "target", None)
    output = target if target is not None else resolved.output_field
    if getattr(output, "is_relation", False):
        output = output.target_field
    nullable = bool(getattr(target, "null", True)) if target is not None else True
    unique = bool(target is not None and (target.primary_key or target.unique) and _own_field(qs, target))
    return output, nullable, unique


def _own_field(qs: QuerySet, target) -> bool:
    return getattr(target, "model", None) is qs.model


def _plain(v):
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _int(text: str | None, default: int) -> int:
    try:
        return max(int(text or default), 0)
    except ValueError:
        return default


def estimate_count(qs: QuerySet, *, exact: bool = False) -> tuple[int, bool]:
    """(rows, exact?). On PostgreSQL the planner's estimate (``EXPLAIN``: no rows read) unless it is small or
    ``exact`` is asked for; elsewhere ``count()``."""
    qs = qs.order_by()
    connection = connections[qs.db]
    if exact or connection.vendor != "postgresql":
        return qs.count(), True
    try:
        sql, params = qs.values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. restrict() without grants: Django knows there is nothing to read
        return 0, True
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        doc = cur.fetchone()[0]
    rows = int((json.loads(doc) if isinstance(doc, str) else doc)[0]["Plan"]["Plan Rows"])
    if rows < EXACT_BELOW:
        return qs.count(), True
    return rows, False


@dataclass
class _Totals:
    count: int
    num_pages: int


@dataclass
class KeysetPage:
    """What the pager (``web/_pager.html``) and the lists read; ``number`` is informative (0: unknown, after a jump
    or from the end). ``paginator.count`` / ``num_pages`` keep the Page interface (estimates unless ``exact``)."""

    object_list: list
    per_page: int
    has_next: bool
    has_previous: bool
    number: int
    total: int
    exact: bool
    querystring: str
    first_cursor: str
    last_cursor: str
    jump_value: str = ""
    can_jump: bool = False
    filters: list = field(default_factory=list)  # (name, value) of the list's filters, for the jump form
    keyset: bool = True
    paginator: _Totals = field(init=False)

    def __post_init__(self):
        self.paginator = _Totals(self.total, max(1, math.ceil(self.total / self.per_page)))

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1 if self.number else 0

    def previous_page_number(self) -> int:
        return max(self.number - 1, 0)


__all__ = ["PER_PAGE", "KeysetPage", "Page", "estimate_count", "paginate"]
