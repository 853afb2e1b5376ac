"""Policy profiles as data: load, validate and resolve dated parameter values.

A profile is a YAML file (``profiles/<name>.yaml`` or any path). A locality file says ``extends: national`` and
replaces whole parameter histories key by key. Every value carries its validity dates and either its source
document and article or ``illustrative: true`` with a note — amounts not found in the seeds must never look
official (localities.md). No Django import here: the CLI and the pure tests load profiles without a database;
admin overrides (``PolicyValue`` rows) are merged in ``doudi.policy.services``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from doudi.policy.values import KEYS, NON_ENGINE_PREFIXES, Bad, key_spec
from doudi.rules.params import ParamMeta, Params

__all__ = ["KEYS", "Entry", "Profile", "ProfileError", "available_profiles", "check_consistency", "load_profile",
           "make_entry", "validate_value"]

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """Invalid profile data. The message names the file, the key and the date (Chinese, one line)."""

    def __init__(self, message: str, *, file: str = "", key: str = "", date: str = ""):
        where = "，".join(p for p in (f"文件 {file}" if file else "", f"参数 {key}" if key else "",
                                     f"日期 {date}" if date else "") if p)
        super().__init__(f"政策配置错误（{where}）：{message}" if where else f"政策配置错误：{message}")
        self.file, self.key, self.date = file, key, date

_ENTRY_FIELDS = {"value", "from", "to", "source", "illustrative", "note", "area"}
_TOP_FIELDS = {"name", "title", "extends", "description", "documents", "params"}


def validate_value(key: str, value: Any, *, file: str = "", date: str = "") -> Any:
    """Check and normalise one value; raises ProfileError. ``make_entry`` uses it for files and admin rows."""
    spec = key_spec(key)
    if spec is None:
        raise ProfileError("未知参数", file=file, key=key)
    try:
        return spec[0](value)
    except Bad as e:
        raise ProfileError(str(e), file=file, key=key, date=date) from None


@dataclass(frozen=True)
class Entry:
    key: str
    value: Any
    raw: Any
    valid_from: dt.date
    valid_to: dt.date | None
    source: str | None
    illustrative: bool
    note: str | None
    origin: str
    area: str | None = None
    rank: int = 0  # admin overrides get a rank > 0 (newer row = higher), beating file values

    def covers(self, d: dt.date) -> bool:
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)

    def meta(self) -> ParamMeta:
        return ParamMeta(self.key, self.valid_from, self.valid_to, self.source, self.illustrative, self.note,
                         self.origin)


def _date(v: Any, *, file: str, key: str, what: str) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise ProfileError(f"{what} “{v}”不是 YYYY-MM-DD 日期", file=file, key=key) from None


def make_entry(key: str, raw: Any, *, file: str, rank: int = 0) -> Entry:
    """Validate one dated value (file entry or admin row) into an Entry."""
    if key_spec(key) is None:
        raise ProfileError("未知参数", file=file, key=key)
    if not isinstance(raw, dict):
        raise ProfileError("每个取值须为 {value, from, to, source|illustrative} 映射", file=file, key=key)
    d_from = raw.get("from")
    date_s = str(d_from or "")
    unknown = set(raw) - _ENTRY_FIELDS
    if unknown:
        raise ProfileError(f"未知字段 {', '.join(sorted(unknown))}", file=file, key=key, date=date_s)
    if "value" not in raw:
        raise ProfileError("缺少 value", file=file, key=key, date=date_s)
    if d_from is None:
        raise ProfileError("缺少起始日期 from", file=file, key=key)
    start = _date(d_from, file=file, key=key, what="from")
    end = _date(raw["to"], file=file, key=key, what="to") if raw.get("to") is not None else None
    if end is not None and end < start:
        raise ProfileError("to 早于 from", file=file, key=key, date=date_s)
    illustrative = raw.get("illustrative", False)
    if not isinstance(illustrative, bool):
        raise ProfileError("illustrative 须为 true/false", file=file, key=key, date=date_s)
    source = raw.get("source")
    if illustrative and not raw.get("note"):
        raise ProfileError("示意值须附 note 说明", file=file, key=key, date=date_s)
    if not illustrative and not (isinstance(source, str) and source.strip()):
        raise ProfileError("缺少 source（文件文号及条款），或标注 illustrative: true", file=file, key=key, date=date_s)
    value = validate_value(key, raw["value"], file=file, date=date_s)
    return Entry(key, value, raw["value"], start, end, source or None, illustrative, raw.get("note"), file,
                 raw.get("area"), rank)


def check_overlaps(entries: Iterable[Entry], *, file: str) -> None:
    """Within one file (or one source), two values for the same key and area may not cover the same day."""
    by: dict[tuple[str, str | None], list[Entry]] = {}
    for e in entries:
        by.setdefault((e.key, e.area), []).append(e)
    for (key, _area), es in by.items():
        es = sorted(es, key=lambda e: e.valid_from)
        for a, b in pairwise(es):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise ProfileError(f"日期区间重叠（{a.valid_from} 起 与 {b.valid_from} 起）", file=file, key=key,
                                   date=b.valid_from.isoformat())


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    path: str
    entries: dict[str, tuple[Entry, ...]]
    chain: tuple[str, ...] = ()

    def with_overrides(self, overrides: Iterable[Entry]) -> Profile:
        merged = {k: list(v) for k, v in self.entries.items()}
        for e in overrides:
            merged.setdefault(e.key, []).append(e)
        return replace(self, entries={k: tuple(v) for k, v in merged.items()})

    def resolve(self, key: str, on: dt.date, area: str | None = None) -> Entry | None:
        """The value in force: an admin override (newest first) beats a file value; an area value beats a
        general one."""
        best: Entry | None = None
        for e in self.entries.get(key, ()):
            if not e.covers(on) or (e.area is not None and e.area != area):
                continue
            rank = (e.rank, e.area is not None)
            if best is None or rank > (best.rank, best.area is not None):
                best = e
        return best

    def params_as_of(self, on: dt.date, area: str | None = None) -> Params:
        values: dict[str, Any] = {}
        meta: dict[str, ParamMeta] = {}
        for key in self.entries:
            if key.startswith(NON_ENGINE_PREFIXES):
                continue  # warning rules, visiting intervals, supervision cycles: read by their apps, not the engine
            e = self.resolve(key, on, area)
            if e is not None:
                values[key], meta[key] = e.value, e.meta()
        # 特困 care is a share of the *previous year's* minimum wage ([000] 三(二)3), so resolve it on 31 Dec
        # of the year before; a synthetic key keeps the engine free of date logic.
        prev = self.resolve("min_wage.monthly", dt.date(on.year - 1, 12, 31), area)
        if prev is not None:
            values["min_wage.prior_year_monthly"] = prev.value
            meta["min_wage.prior_year_monthly"] = replace(prev.meta(), key="min_wage.prior_year_monthly")
        return Params(profile=self.name, as_of=on, values=values, meta=meta, title=self.title)


# Values that must stay in order on every date where both are in force: (lower key, upper key, key an error names).
# A county's 渐退 months within its own range ([000] 三(三)4 3–12; [002] 二(一) 6–12; [001] 二(二)4 ≤ 6, ≤ 12 in
# special cases), the township limit below the 一事一议 threshold, the ordinary time limit below the special one.
ORDERED: tuple[tuple[str, str, str], ...] = (
    ("grace.min_months", "grace.months", "grace.months"),
    ("grace.months", "grace.max_months", "grace.months"),
    ("grace.min_months", "grace.max_months", "grace.min_months"),
    ("grace.max_months", "grace.special_max_months", "grace.special_max_months"),
    ("temporary.township_limit", "temporary.case_conference_above", "temporary.township_limit"),
    ("procedure.total_workdays", "procedure.total_special_workdays", "procedure.total_special_workdays"),
    ("procedure.total_delegated_workdays", "procedure.total_delegated_special_workdays",
     "procedure.total_delegated_special_workdays"),
)


def check_consistency(profile: Profile) -> None:
    """Raise ProfileError (naming the file, the key and the date) when two related values are out of order."""
    keys = {k for lo, hi, _ in ORDERED for k in (lo, hi)}
    days: set[dt.date] = set()
    areas: set[str | None] = {None}
    for k in keys:
        for e in profile.entries.get(k, ()):
            days.update(d for d in (e.valid_from, e.valid_to) if d is not None)
            areas.add(e.area)
    for day in sorted(days):
        for area in areas:
            for lo, hi, blame in ORDERED:
                a, b = profile.resolve(lo, day, area), profile.resolve(hi, day, area)
                if a is None or b is None or a.value is None or b.value is None or a.value <= b.value:
                    continue
                e = a if blame == lo else b
                raise ProfileError(f"{lo}（{a.raw}）不得大于 {hi}（{b.raw}）：取值须在当地规定的区间内",
                                   file=e.origin, key=blame, date=day.isoformat())


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError("文件不存在", file=str(path)) from None
    except yaml.YAMLError as e:
        raise ProfileError(f"YAML 格式错误：{str(e).splitlines()[0]}", file=str(path)) from None
    if not isinstance(data, dict):
        raise ProfileError("顶层须为映射", file=str(path))
    unknown = set(data) - _TOP_FIELDS
    if unknown:
        raise ProfileError(f"未知顶层字段 {', '.join(sorted(unknown))}", file=str(path))
    return data


def _locate(name_or_path: str | Path, base_dir: Path | None = None) -> Path:
    s = str(name_or_path)
    if s.endswith((".yaml", ".yml")) or "/" in s or "\\" in s:
        return Path(s)
    if not s.replace("_", "").replace("-", "").isalnum():
        raise ProfileError(f"未知政策配置“{s}”")
    for d in (base_dir, PROFILES_DIR):
        if d is not None and (d / f"{s}.yaml").exists():
            return d / f"{s}.yaml"
    raise ProfileError(f"未知政策配置“{s}”（可用：{', '.join(available_profiles())}）")


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


# Parsed profiles by resolved path, with the (path, mtime, size) stamp of every file read for it (the file and its
# ``extends`` chain). Every evaluation_run loads its region's profile, so without this each run re-parses two YAML
# files; an edited file changes its stamp and is read again. Admin overrides are merged on top in
# ``doudi.policy.services`` on every call, so they are never cached here.
_Stamp = tuple[str, int, int]
_CACHE: dict[str, tuple[tuple[_Stamp, ...], Profile]] = {}


def _stamp(file: str) -> _Stamp:
    st = os.stat(file)
    return (file, st.st_mtime_ns, st.st_size)


def _fresh(stamps: tuple[_Stamp, ...]) -> bool:
    try:
        return all(_stamp(s[0]) == s for s in stamps)
    except OSError:
        return False


def load_profile(name_or_path: str | Path, *, _seen: tuple[str, ...] = (), _base: Path | None = None) -> Profile:
    """Load and validate a profile by built-in name (``hulunbuir``) or by path; follows ``extends``."""
    path = _locate(name_or_path, _base).resolve()
    file = str(path)
    if file in _seen:
        raise ProfileError("extends 形成循环", file=file)
    cached = _CACHE.get(file)
    if cached is not None and _fresh(cached[0]):
        return cached[1]
    stamps = (_stamp(file),) if path.exists() else ()  # before reading: an edit made meanwhile means a re-read
    data = _read_yaml(path)
    name = str(data.get("name") or path.stem)
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise ProfileError("params 须为映射", file=file)
    own: list[Entry] = []
    for key, values in params.items():
        if key_spec(str(key)) is None:
            raise ProfileError("未知参数", file=file, key=str(key))
        if not isinstance(values, list) or not values:
            raise ProfileError("取值须为非空列表（每项带日期）", file=file, key=key)
        own.extend(make_entry(key, raw, file=file) for raw in values)
    check_overlaps(own, file=file)
    entries: dict[str, tuple[Entry, ...]] = {}
    chain: tuple[str, ...] = ()
    if data.get("extends"):
        parent = load_profile(str(data["extends"]), _seen=(*_seen, file), _base=path.parent)
        entries.update(parent.entries)
        chain = (*parent.chain, parent.name)
        parent_stamps = _CACHE.get(parent.path, ((), parent))[0]
        stamps = (*stamps, *parent_stamps) if parent_stamps else ()  # an uncached parent: do not cache either
    # A locality replaces the whole dated history of each key it names; other keys fall back to the parent.
    for key in {e.key for e in own}:
        entries[key] = tuple(e for e in own if e.key == key)
    profile = Profile(name=name, title=str(data.get("title") or name), path=file, entries=entries, chain=chain)
    check_consistency(profile)
    if stamps:
        _CACHE[file] = (stamps, profile)
    return profile
