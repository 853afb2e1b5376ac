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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from doudi.rules.kinds import (
    EXPENSE_KINDS,
    INCOME_KINDS,
    MEDICAL_CATEGORIES,
    MEDICAL_KINDS,
    RISE_REASONS,
    TEMP_CAUSES,
    TEMP_SEVERITY,
    TEMP_TYPES,
    WORK_ABILITY,
)
from doudi.rules.params import BP, ParamMeta, Params
from doudi.rules.procedure import PROCEDURE_KEYS

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """Invalid profile data. The message names the file, the key and the date (Chinese, one line)."""

    def __init__(self, message: str, *, file: str = "", key: str = "", date: str = ""):
        where = "，".join(p for p in (f"文件 {file}" if file else "", f"参数 {key}" if key else "",
                                     f"日期 {date}" if date else "") if p)
        super().__init__(f"政策配置错误（{where}）：{message}" if where else f"政策配置错误：{message}")
        self.file, self.key, self.date = file, key, date


# ---------------------------------------------------------------- value types
class _Bad(Exception):
    pass


def _yuan(v: Any) -> int:
    # Money arrives in yuan (readable for policy officers) and becomes integer fen. A YAML float is refused:
    # write "900.50" as a string so no binary fraction ever enters the computation.
    if isinstance(v, bool) or isinstance(v, float):
        raise _Bad("金额须为整数或带引号的小数（如 \"900.50\"），不能是浮点数")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise _Bad(f"“{v}”不是有效金额") from None
    if d < 0 or d.as_tuple().exponent < -2:
        raise _Bad(f"“{v}”不是有效金额（非负，最多两位小数）")
    return int(d * 100)


def _yuan_or_none(v: Any) -> int | None:
    return None if v is None else _yuan(v)


def _ratio(v: Any) -> int:
    # Ratios/multiples are stored as basis points; str() of a YAML float like 1.3 is exact enough ("1.3").
    if isinstance(v, bool):
        raise _Bad("比例须为数字")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise _Bad(f"“{v}”不是有效比例") from None
    bp = d * BP
    if d < 0 or bp != bp.to_integral_value():
        raise _Bad(f"“{v}”不是有效比例（非负，最多四位小数）")
    return int(bp)


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise _Bad(f"“{v}”须为非负整数")
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad(f"“{v}”须为 true 或 false")
    return v


def _choice(*options: str) -> Callable[[Any], str]:
    def conv(v: Any) -> str:
        if v not in options:
            raise _Bad(f"“{v}”不在可选值 {', '.join(options)} 中")
        return v

    return conv


def _kinds(allowed: Iterable[str]) -> Callable[[Any], tuple[str, ...]]:
    allowed = tuple(allowed)

    def conv(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list):
            raise _Bad("须为列表")
        bad = [x for x in v if x not in allowed]
        if bad:
            raise _Bad(f"未知类别 {', '.join(map(str, bad))}（可选：{', '.join(allowed)}）")
        return tuple(v)

    return conv


def _record(v: Any, fields: dict[str, Callable[[Any], Any]], required: Iterable[str]) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _Bad("须为映射")
    unknown = set(v) - set(fields)
    if unknown:
        raise _Bad(f"未知字段 {', '.join(sorted(unknown))}")
    missing = [f for f in required if f not in v]
    if missing:
        raise _Bad(f"缺少字段 {', '.join(missing)}")
    return {k: fields[k](x) for k, x in v.items()}


def _tiers(v: Any) -> tuple[tuple[int, int], ...]:
    # 分档 ([000] 三(二)1): a household whose per-capita income is below `below` × standard gets `pay` × standard
    # per counted member. Tiers are checked from the lowest `below` upwards.
    if not isinstance(v, list) or not v:
        raise _Bad("须为非空列表")
    rows = [_record(x, {"below": _ratio, "pay": _ratio}, ("below", "pay")) for x in v]
    return tuple(sorted((r["below"], r["pay"]) for r in rows))


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise _Bad("须为非空文字")
    return v


def _bands(v: Any) -> tuple[tuple[tuple[str, Any], ...], ...]:
    # 临时救助 bands (S6 §2(3) 分类分档, linked to the 低保 standard). A band may carry its own provenance (``source``
    # or ``illustrative`` + ``note``) when one value mixes sourced and illustrative bands.
    if not isinstance(v, list) or not v:
        raise _Bad("须为非空列表")
    fields = {
        "type": _choice("any", *TEMP_TYPES),
        "cause": _choice("any", *TEMP_CAUSES),
        "severity": _choice("any", *TEMP_SEVERITY),
        "min_multiple": _ratio,
        "max_multiple": _ratio,
        "base": _choice("standard", "urban_standard"),
        "per_person": _bool,
        "source": _text,
        "illustrative": _bool,
        "note": _text,
    }
    out = []
    for x in v:
        r = _record(x, fields, ("min_multiple", "max_multiple"))
        for k, default in (("type", "any"), ("cause", "any"), ("severity", "any"), ("base", "standard"),
                           ("per_person", True)):
            r.setdefault(k, default)
        if r["min_multiple"] > r["max_multiple"]:
            raise _Bad("min_multiple 大于 max_multiple")
        if r.get("illustrative") and not r.get("note"):
            raise _Bad("示意档次须附 note 说明")
        out.append(tuple(sorted(r.items())))
    return tuple(out)


_MEDICAL = {
    f"medical.{kind}.{cat}.{f}": (_ratio if f == "rate" else _yuan_or_none, desc)
    for kind, kdesc in MEDICAL_KINDS.items()
    for cat, cdesc in MEDICAL_CATEGORIES.items()
    for f, desc in (("rate", f"{kdesc}自付合规费用救助比例（{cdesc}）" if kind != "premium"
                     else f"资助参加城乡居民医保个人缴费的比例（{cdesc}）"),
                    ("cap", f"{kdesc}年度救助限额，元/人（{cdesc}，空=不封顶）"))
}

# key -> (converter, Chinese description). docs/policy-profiles.md documents the same table.
KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "dibao.standard.urban": (_yuan, "城市低保标准，元/人·月"),
    "dibao.standard.rural": (_yuan, "农村低保标准，元/人·月"),
    "dibao.amount_method": (_choice("gap", "tiers"), "低保金计算方式：差额 gap / 分档 tiers"),
    "dibao.tiers": (_tiers, "分档：人均收入低于标准的 below 倍时，每人按标准的 pay 倍发放"),
    "dibao.employment_cost.method": (_choice("none", "fixed", "min_wage_share"), "就业成本扣减方式"),
    "dibao.employment_cost.fixed": (_yuan, "每名就业成员扣减的就业成本，元/月"),
    "dibao.employment_cost.min_wage_share": (_ratio, "每名就业成员按最低工资的比例扣减"),
    "dibao.rigid_expense_deduction": (_kinds(EXPENSE_KINDS), "核算收入时扣减的刚性支出类别"),
    "dibao.single_person.enabled": (_bool, "低保边缘家庭重残重病成员可参照单人户纳入低保"),
    "dibao.property.financial_method": (_choice("months", "per_person"),
                                        "人均金融资产上限的写法：months 低保月标准 × 月数 / per_person 每人定额"),
    "dibao.property.financial_months": (_int, "人均金融资产上限 = 低保月标准 × 月数"),
    "dibao.property.financial_per_person": (_yuan, "人均金融资产上限，元/人（financial_method 为 per_person 时）"),
    "dibao.property.max_vehicles": (_int, "非豁免机动车辆上限（辆）"),
    "dibao.property.max_vehicle_value": (_yuan_or_none, "非豁免机动车辆总价值上限，元（空=不限）"),
    "dibao.property.max_extra_real_estate": (_int, "唯一住房以外房产套数上限"),
    "dibao.property.max_business_registrations": (_int, "工商登记（非豁免）数量上限"),
    "income.excluded_kinds": (_kinds(INCOME_KINDS), "低保收入核算不计入的收入类别"),
    "tekun.excluded_kinds": (_kinds(INCOME_KINDS), "特困“无生活来源”认定不计入的收入类别"),
    "margin.multiple": (_ratio, "低保边缘：人均收入低于低保标准的倍数"),
    "rigid.ratio_threshold": (_ratio, "刚性支出困难：12个月刚性支出占家庭总收入比例的本地门槛"),
    "rigid.validity_months": (_int, "刚性支出困难家庭认定有效期，月"),
    "prior_year_disposable_income.urban": (_yuan, "上年度城镇居民人均可支配收入，元/年"),
    "prior_year_disposable_income.rural": (_yuan, "上年度农村居民人均可支配收入，元/年"),
    "min_wage.monthly": (_yuan, "月最低工资标准，元"),
    "tekun.basic_multiple.urban": (_ratio, "城市特困人员基本生活标准 = 基数 × 倍数"),
    "tekun.basic_multiple.rural": (_ratio, "农村特困人员基本生活标准 = 基数 × 倍数"),
    "tekun.basic_base.urban": (_choice("own", "urban"),
                               "城市特困基本生活标准的基数：own 本地区城乡标准 / urban 城市标准"),
    "tekun.basic_base.rural": (_choice("own", "urban"), "农村特困基本生活标准的基数"),
    "tekun.care_share.complete": (_ratio, "完全丧失生活自理能力照料护理标准：上年度月最低工资的比例"),
    "tekun.care_share.partial": (_ratio, "部分丧失生活自理能力照料护理标准"),
    "tekun.care_share.able": (_ratio, "具备生活自理能力照料护理标准"),
    "tekun.minor_age": (_int, "特困未成年人救助供养至周岁"),
    "tekun.school_extension": (_bool, "年满上述年龄仍在义务教育/普通高中/中职就读的继续供养"),
    "tekun.supporter_dibao_age": (_int, "义务人为低保对象且年满该岁数视为无履行能力"),
    "tekun.supporter_elderly_age": (_int, "义务人年满该岁数且收入低于上年人均可支配收入视为无履行能力"),
    "tekun.supporter_unable_work_ability": (_kinds(WORK_ABILITY),
                                            "义务人劳动能力为所列等级、收入低于上年人均可支配收入且财产符合规定时视为无履行能力"),
    "labour.min_age": (_int, "劳动年龄下限（周岁）：未满此年龄视为无劳动能力"),
    "labour.max_age": (_int, "劳动年龄上限（周岁）：年满此年龄视为无劳动能力（特困人员中的老年人）"),
    "labour.partial_is_able": (_bool, "经评定部分丧失劳动能力者视为有劳动能力"),
    "grace.months": (_int, "渐退期（月），就业增收超过标准时"),
    "grace.min_months": (_int, "渐退期下限（月），县级可在区间内确定"),
    "grace.max_months": (_int, "渐退期上限（月）"),
    "grace.special_max_months": (_int, "特殊情况渐退期上限（月）"),
    "grace.registered_poor_months": (_int, "建档立卡贫困户保留低保待遇月数"),
    "grace.excluded_reasons": (_kinds(RISE_REASONS), "不纳入渐退期管理的情形"),
    "temporary.bands": (_bands, "临时救助分类分档标准"),
    "temporary.township_limit": (_yuan, "乡镇（街道）临时救助审批额度，元/次"),
    "temporary.case_conference_above": (_yuan, "临时救助金额超过此数须一事一议并附会议纪要，元/次"),
    "temporary.township_reserve_min": (_yuan, "乡镇临时救助备用金最低额，元"),
    "temporary.emergency_payment_hours": (_int, "急难型先行救助时限，小时"),
    **_MEDICAL,
    "review.months.tekun": (_int, "特困人员核查周期，月"),
    "review.months.stable": (_int, "收入稳定低保家庭核查周期，月"),
    "review.months.unstable": (_int, "收入不固定或有劳动能力成员的低保家庭核查周期，月"),
    "price_linkage.cpi_trigger": (_ratio, "物价联动启动条件：居民消费价格指数（CPI）同比涨幅达到"),
    "price_linkage.food_cpi_trigger": (_ratio, "物价联动启动条件：CPI 中食品价格同比涨幅达到"),
    "funds.purchased_services_cap": (_ratio, "政府购买社会救助服务经费上限：占上年困难群众救助补助资金的比例"),
    "funds.social_org_share_min": (_ratio, "政府新增购买服务中向社会组织购买的最低比例"),
    **{k: (_ratio if unit == "ratio" else _int, desc) for k, (unit, desc) in PROCEDURE_KEYS.items()},
}

_ENTRY_FIELDS = {"value", "from", "to", "source", "illustrative", "note", "area"}
_TOP_FIELDS = {"name", "title", "extends", "description", "documents", "params"}


def validate_value(key: str, value: Any, *, file: str = "", date: str = "") -> Any:
    """Check and normalise one value; raises ProfileError. ``make_entry`` uses it for files and admin rows."""
    if key not in KEYS:
        raise ProfileError("未知参数", file=file, key=key)
    try:
        return KEYS[key][0](value)
    except _Bad as e:
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
    if key not in KEYS:
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
        if key not in KEYS:
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
