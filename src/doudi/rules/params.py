"""The frozen parameter set the engine reads. Built by ``doudi.policy.loader``; the engine never reads YAML.

Money values are integer fen, ratios/multiples are integer basis points (1.3 → 13000), so the engine never
touches a float. ``meta`` keeps, per key, where the value came from (date range, document and article, or
"illustrative"), so every decision can name the exact parameter version it used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

BP = 10_000  # basis points: 1.0 == 10 000


@dataclass(frozen=True)
class ParamMeta:
    key: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str | None
    illustrative: bool
    note: str | None = None
    origin: str = ""  # file path or "db:<id>"

    def label(self) -> str:
        """Chinese provenance label used in explanations."""
        since = f"{self.valid_from.isoformat()} 起"
        if self.illustrative:
            return f"示意值，{since}"
        return f"{self.source}，{since}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.valid_from.isoformat(),
            "to": self.valid_to.isoformat() if self.valid_to else None,
            "source": self.source,
            "illustrative": self.illustrative,
            "note": self.note,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Params:
    """Parameter values in force for one profile on one date."""

    profile: str
    as_of: dt.date
    values: Mapping[str, Any] = field(default_factory=dict)
    meta: Mapping[str, ParamMeta] = field(default_factory=dict)
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "meta", MappingProxyType(dict(self.meta)))

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def label(self, key: str) -> str:
        m = self.meta.get(key)
        return m.label() if m else "未配置"

    def version(self) -> str:
        """A short stable fingerprint of the values and their provenance (stored with each decision)."""
        return self._version

    @cached_property
    def _version(self) -> str:
        body = {k: [repr(self.values[k]), self.meta[k].as_dict() if k in self.meta else None] for k in self.values}
        payload = json.dumps({"profile": self.profile, **body}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]

    def used(self) -> dict[str, dict[str, Any]]:
        """Every parameter with its value and provenance, JSON-ready (for the stored explanation). Built once per
        ``Params`` (they are frozen); the entries are shared between calls — read them, do not change them."""
        return dict(self._used)

    @cached_property
    def _used(self) -> dict[str, dict[str, Any]]:
        out = {}
        for k in sorted(self.values):
            v = self.values[k]
            out[k] = {"value": _jsonable(v), **(self.meta[k].as_dict() if k in self.meta else {})}
        return out


def _jsonable(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _jsonable(x) for k, x in v.items()}
    return v
