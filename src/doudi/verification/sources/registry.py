"""The installed adapters, one per checked item (S1 Art 17): the department data exchange for every category unless
a deployment registers its own (``register(MyTaxAdapter())``)."""

from __future__ import annotations

from doudi.verification.choices import SourceCategory
from doudi.verification.sources.base import SourceAdapter
from doudi.verification.sources.exchange import DepartmentExchangeSource

_REGISTRY: dict[str, SourceAdapter] = {}


def register(adapter: SourceAdapter) -> SourceAdapter:
    """Install ``adapter`` for its category, replacing the previous one."""
    _REGISTRY[adapter.category] = adapter
    return adapter


def reset_sources() -> None:
    """Back to the department data exchange for every category (used by tests that install fakes)."""
    _REGISTRY.clear()
    for category in SourceCategory.values:
        register(DepartmentExchangeSource(category))


def all_sources() -> list[SourceAdapter]:
    if not _REGISTRY:
        reset_sources()
    return list(_REGISTRY.values())
