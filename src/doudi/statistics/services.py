"""Refreshing the aggregates: ``statistics_refresh`` (the task and ``doudi statistics refresh`` call it).

Regions are taken in code order, ``chunk`` at a time; each chunk's figures are read and stored, and the refresh's
cursor moved past them by a conditional update, in one transaction. So a crash or a second worker never stores a
chunk twice, and a re-run resumes the unfinished refresh after its last stored chunk. A refresh's figures are
shown only once it has finished; then the earlier refreshes of the same day are dropped (one per region and day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from doudi.regions.models import Region
from doudi.statistics import sources
from doudi.statistics.models import Figure, Refresh

if TYPE_CHECKING:
    from doudi.accounts.models import User

DEFAULT_CHUNK = 200


def statistics_refresh(*, actor: User | None = None, day: dt.date | None = None, chunk: int = DEFAULT_CHUNK,
                       progress: Callable[[Refresh], None] | None = None) -> Refresh:
    """Finish the open refresh (any day) or start one for ``day`` (default today); return it finished.

    ``actor`` is accepted for the interface's sake; figures are counts, not records, so nothing is audited."""
    day = day or timezone.localdate()
    refresh = Refresh.objects.filter(finished_at__isnull=True).order_by("started_at").first()
    if refresh is None:
        refresh = Refresh.objects.create(day=day, total_count=Region.objects.count())
    while _step(refresh, chunk):
        refresh.refresh_from_db()
        if progress:
            progress(refresh)
    refresh.refresh_from_db()
    if refresh.finished_at is None:
        with transaction.atomic():
            if Refresh.objects.filter(pk=refresh.pk, finished_at__isnull=True).update(finished_at=timezone.now()):
                Refresh.objects.filter(day=refresh.day, finished_at__lt=timezone.now()).exclude(pk=refresh.pk).delete()
        refresh.refresh_from_db()
    if progress:
        progress(refresh)
    return refresh


def _step(refresh: Refresh, chunk: int) -> bool:
    """Store the next chunk of regions after the cursor; False when there is none left."""
    codes = list(Region.objects.filter(code__gt=refresh.cursor).order_by("code").values_list("code", flat=True)[:chunk])
    if not codes:
        return False
    lo, hi = codes[0], codes[-1]
    figures = sources.collect(lo, hi, refresh.day)
    with transaction.atomic():
        moved = Refresh.objects.filter(pk=refresh.pk, cursor=refresh.cursor, finished_at__isnull=True).update(
            cursor=hi, done_count=refresh.done_count + len(codes)
        )
        if not moved:  # another worker stored this chunk: nothing to write, reload and go on
            return True
        Figure.objects.bulk_create(
            [Figure(refresh=refresh, region_code=code, key=key, value=value)
             for (code, key), value in figures.items() if value]
        )
    return True
