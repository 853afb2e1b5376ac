"""The source-adapter interface: what every department data source answers (S1 Art 17).

An adapter answers one question: "what does your department hold about these persons on this date?". It returns
``Finding`` values and never writes. A real deployment swaps the exchange adapter of a category for one that calls
the department's interface (``registry.register(MyTaxAdapter())``); the verification service does not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class Finding:
    id_number: str
    category: str  # SourceCategory
    kind: str  # IncomeKind for income categories, "death" for civil registry, free text otherwise
    valid_from: dt.date
    source: str  # human-readable name of the source, shown in the report
    amount_fen: int | None = None  # monthly income
    value_fen: int | None = None  # property value
    quantity: int = 1
    valid_to: dt.date | None = None
    detail: str = ""

    def as_json(self) -> dict:
        data = asdict(self)
        data["valid_from"] = self.valid_from.isoformat()
        data["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        return data


@runtime_checkable
class SourceAdapter(Protocol):
    category: str
    name: str

    def query(self, persons: Iterable, as_of: dt.date, *, region_code: str = "") -> list[Finding]:
        """Facts held about ``persons`` (registry Person rows) that are true on ``as_of``; death records on or
        before ``as_of``. ``region_code`` is the village of the household checked: data bound to an area (a
        county's department upload) counts only for households in that area."""
        ...
