"""The source-adapter interface and the registry of adapters, one per checked item (S1 Art 17).

An adapter answers one question: "what does your department hold about these persons on this date?". It returns
``Finding`` values and never writes. A real deployment swaps the exchange adapter of a category for one that calls
the department's interface (``register(MyTaxAdapter())``); the verification service does not change.
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

    def query(self, persons: Iterable, as_of: dt.date) -> list[Finding]:
        """Facts held about ``persons`` (registry Person rows) that are true on ``as_of``; death records on or
        before ``as_of``."""
        ...


_REGISTRY: dict[str, SourceAdapter] = {}


def register(adapter: SourceAdapter) -> SourceAdapter:
    """Install ``adapter`` for its category, replacing the previous one."""
    _REGISTRY[adapter.category] = adapter
    return adapter


def reset_sources() -> None:
    """Back to the department data exchange for every category (used by tests that install fakes)."""
    from doudi.verification.choices import SourceCategory
    from doudi.verification.sources.exchange import DepartmentExchangeSource

    _REGISTRY.clear()
    for category in SourceCategory.values:
        register(DepartmentExchangeSource(category))


def all_sources() -> list[SourceAdapter]:
    if not _REGISTRY:
        reset_sources()
    return list(_REGISTRY.values())
