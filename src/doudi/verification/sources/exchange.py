"""The demo adapter: a department data exchange (数据交换) fed by department files (see ``loader``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from doudi.regions.choices import PREFIX_LENGTH
from doudi.verification.choices import DEATH_KIND, SourceCategory
from doudi.verification.models import DepartmentRecord
from doudi.verification.sources.base import Finding


def covering_codes(region_code: str) -> list[str]:
    """The codes of ``region_code`` and every region above it (province, city, county, township, village)."""
    if not region_code:
        return []
    return [region_code[:n].ljust(12, "0") for n in sorted(set(PREFIX_LENGTH.values()))]


class DepartmentExchangeSource:
    def __init__(self, category: str):
        self.category = category
        self.name = f"部门数据交换 · {SourceCategory(category).label}"

    def query(self, persons: Iterable, as_of: dt.date, *, region_code: str = "") -> list[Finding]:
        ids = [p.id_number for p in persons]
        if not ids:
            return []
        rows = DepartmentRecord.objects.filter(category=self.category, id_number__in=ids, valid_from__lte=as_of)
        # A county's upload is bound to that county (issue 9): it never creates discrepancies for another county's
        # residents. Batches loaded on the server (no region) are installation-wide.
        rows = rows.filter(Q(batch__region__isnull=True) | Q(batch__region_id__in=covering_codes(region_code)))
        # A death stays true after its date; anything else must still be valid on the day.
        rows = rows.filter(Q(kind=DEATH_KIND) | Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
        return [
            Finding(
                id_number=r.id_number,
                category=r.category,
                kind=r.kind,
                valid_from=r.valid_from,
                valid_to=r.valid_to,
                amount_fen=r.monthly_fen,
                value_fen=r.value_fen,
                quantity=r.quantity,
                detail=r.detail,
                source=f"{r.get_department_display()} · {r.batch.filename}",
            )
            for r in rows.select_related("batch").order_by("id")
        ]
