"""Reading the aggregates: ``figures_for(user)`` — the user's jurisdiction summed from the last finished refresh.

The sum runs over ``Figure.objects.restrict(user, action)``, i.e. one indexed range of region codes per grant
(``accounts.scoping``), on the few thousand rows of one refresh: it costs the same for a township and a city.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Sum

from doudi.accounts.choices import Action
from doudi.statistics.models import Figure, Refresh

if TYPE_CHECKING:
    from doudi.accounts.models import User


@dataclass(frozen=True)
class Figures:
    """``values``: key → sum over the jurisdiction (0 when nothing was counted); ``as_of``: when the refresh
    finished (None: no refresh yet, every value 0); ``day``: the day it counted for."""

    values: dict[str, int] = field(default_factory=dict)
    as_of: dt.datetime | None = None
    day: dt.date | None = None

    # Templates try item access first: pass ``as_of`` to a template on its own, not as ``figures.as_of``.
    def __getitem__(self, key: str) -> int:
        return self.values.get(key, 0)


def latest_refresh() -> Refresh | None:
    return Refresh.objects.filter(finished_at__isnull=False).order_by("-finished_at").first()


def figures_for(user: User, *, keys: list[str] | None = None, region: str = "", action: str = Action.VIEW,
                refresh: Refresh | None = None) -> Figures:
    """Sums for every region in ``user``'s jurisdiction (for ``action``), optionally only under the code prefix
    ``region`` and only ``keys``. Fails closed like every scoped read: no grant, every value 0. ``refresh``: the
    latest refresh when the caller has already read it."""
    refresh = refresh or latest_refresh()
    if refresh is None:
        return Figures()
    qs = Figure.objects.restrict(user, action).filter(refresh=refresh)
    if region:
        qs = qs.filter(region_code__startswith=region)
    if keys is not None:
        qs = qs.filter(key__in=keys)
    values = dict(qs.values_list("key").annotate(total=Sum("value")).order_by())
    return Figures(values={k: int(v) for k, v in values.items()}, as_of=refresh.finished_at, day=refresh.day)


def sums(user: User, *, prefix: str, region: str = "", action: str = Action.VIEW,
         refresh: Refresh | None = None) -> dict[str, int]:
    """key → sum over the user's jurisdiction (optionally under ``region``) of the keys starting with ``prefix``,
    from the last finished refresh (one grouped query; empty without a refresh or a grant)."""
    refresh = refresh or latest_refresh()
    if refresh is None:
        return {}
    qs = Figure.objects.restrict(user, action).filter(refresh=refresh, key__startswith=prefix)
    if region:
        qs = qs.filter(region_code__startswith=region)
    return {k: int(v) for k, v in qs.values_list("key").annotate(total=Sum("value")).order_by()}


def by_area(user: User, *, prefix: str, region: str, length: int, action: str = Action.VIEW,
            refresh: Refresh | None = None) -> dict[str, dict[str, int]]:
    """area code prefix (the first ``length`` digits) → key → sum, for keys starting with ``prefix`` under
    ``region`` in the user's jurisdiction (one grouped query)."""
    from django.db.models.functions import Substr

    refresh = refresh or latest_refresh()
    if refresh is None:
        return {}
    rows = (Figure.objects.restrict(user, action)
            .filter(refresh=refresh, key__startswith=prefix, region_code__startswith=region)
            .annotate(area=Substr("region_code", 1, length)).values("area", "key").annotate(v=Sum("value"))
            .order_by())
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r["area"], {})[r["key"]] = int(r["v"])
    return out


def public_sums(*, region: str, prefix: str, group_by_region: bool = False,
                refresh: Refresh | None = None) -> tuple[dict, Refresh | None]:
    """For the public pages (no login, so no user to scope by): the published aggregates under the region code
    prefix ``region`` — counts and amounts only, never a record. ``group_by_region``: key per village code.
    ``refresh``: the one the page shows (read once per page), else the last finished."""
    refresh = refresh or latest_refresh()
    if refresh is None:
        return {}, None
    qs = Figure.objects.filter(refresh=refresh, key__startswith=prefix, region_code__startswith=region)
    if group_by_region:
        out: dict = {}
        for code, key, value in qs.values_list("region_code", "key", "value"):
            out.setdefault(code, {})[key] = value
        return out, refresh
    return {k: int(v) for k, v in qs.values_list("key").annotate(total=Sum("value")).order_by()}, refresh
