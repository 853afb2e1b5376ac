"""The vocabulary of dynamic-monitoring warning rules (低收入人口动态监测预警). Pure: no ORM, no I/O.

A warning rule is policy data: a dated value of the profile key ``monitoring.rule.<code>`` (docs/monitoring.md).
Its ``kind`` names one of a few matching patterns the monitoring job knows; every threshold, window, category and
feed is a parameter of the rule. A locality adds or tunes a rule by writing YAML, never code:

    monitoring.rule.medical_oop_amount:
      - from: 2022-10-01
        illustrative: true
        note: 国家未规定医疗支出预警金额，示意值
        value: {kind: sum, title: 12个月医疗自付费用较高, feed: medical_settlement, window_months: 12,
                threshold: 20000, severity: orange, response: refer_medical, deadline_days: 10}

The integer codes below are what the job (one SQL file on DuckDB or Spark) sees; feed rows carry them instead of
text, and categories and flags are bit masks, so the hot join never touches a resident ID or a string.
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import Any

RULE_PREFIX = "monitoring.rule."
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")

# Low-income categories (S7 §2; national-rules §5.1) as bits; a person can be in several at once.
CATEGORY_BITS: dict[str, int] = {
    "dibao": 1,  # 最低生活保障对象
    "tekun": 2,  # 特困人员
    "margin": 4,  # 低保边缘家庭成员
    "rigid": 8,  # 刚性支出困难家庭成员 (S8 Art 11: flagged separately)
    "monitored": 16,  # 防止返贫监测对象
    "other": 32,  # 其他困难人员 (added locally)
}
# Facts about a person or a household the export computes before matching (bits).
PERSON_FLAG_BITS: dict[str, int] = {"breadwinner": 1, "cadre_relative": 2}
HOUSEHOLD_FLAG_BITS: dict[str, int] = {"engine_dibao": 1, "engine_tekun": 2, "engine_margin": 4, "engine_rigid": 8}

SEVERITIES = ("red", "orange", "yellow")
RESPONSES = (
    "visit",  # 核实情况
    "apply_dibao",
    "apply_tekun",
    "apply_temporary",
    "identify_margin",
    "identify_rigid",
    "refer_medical",
    "refer_education",
    "refer_housing",
    "refer_employment",
    "refer_disaster",
    "review",  # 复核待遇（动态管理）
    "stop",  # 停发核查
)
RECIPIENTS = {"any": -1, "exclude": 0, "only": 1}

# Feeds and the integer code of each value of their type column. The feed schemas (monitoring.feeds) take their
# codes from here, so a rule can only name a code a feed can deliver.
FEED_CODES: dict[str, dict[str, int]] = {
    "medical_settlement": {"outpatient": 1, "inpatient": 2},
    "death": {"death": 1},
    "hukou_move": {"move_out": 1, "move_in": 2},
    "employment": {"unemployed": 1, "employed": 2, "pension": 3, "wage": 4},
    "disability": {"issued": 1, "changed": 2, "cancelled": 3},
    "disaster": {"flood": 1, "drought": 2, "snow": 3, "fire": 4, "earthquake": 5, "other": 9},
    "education": {"dropout": 1, "enrolled": 2, "graduated": 3, "suspended": 4},
    "housing": {"dangerous_c": 1, "dangerous_d": 2, "public_rental": 3, "renovated": 4},
    "vehicle": {"car": 1, "truck": 2, "motorcycle": 3, "other": 9},
    "company": {"individual": 1, "enterprise": 2},
    "real_estate": {"residential": 1, "commercial": 2, "other": 9},
    "return_poverty": {"unstable": 1, "marginal": 2, "sudden": 3, "released": 9},
    "assistance_elsewhere": {"dibao": 1, "tekun": 2, "other": 9},
}
# Feeds whose rows are health facts (spending on care, disability): a warning from them never leaves the system with
# its title or detail in an export (exports carry no health data).
HEALTH_FEEDS = frozenset({"medical_settlement", "disability"})
FEED_NUMBERS: dict[str, int] = {code: i for i, code in enumerate(FEED_CODES, start=1)}

# kind -> (fields it needs, fields it may take). Common fields are allowed everywhere.
COMMON = {"title", "kind", "severity", "response", "deadline_days", "categories", "exclude_categories",
          "recipients", "person_flags", "household_flags", "note"}
KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # One feed row about a member (death, dropout, new certificate…) within the window.
    "event": (frozenset({"feed"}), frozenset({"codes", "window_months", "max_grade", "threshold"})),
    # One feed row about a village (disaster by area): every household of the village in scope.
    "area_event": (frozenset({"feed"}), frozenset({"codes", "window_months", "threshold"})),
    # Household total of a feed's amounts in the window: over ``threshold`` and, with ``share``, over that share
    # of the household's income over the same months.
    "sum": (frozenset({"feed", "threshold"}), frozenset({"codes", "window_months", "share", "repeat_months"})),
    # Household total of reported income in the window over ``line`` × the engine's standard × counted members.
    "income_over_line": (frozenset({"feed", "line"}), frozenset({"codes", "window_months", "repeat_months"})),
    # Distinct items held by the household's members (vehicles, companies, homes) at least ``min_count``.
    "holdings": (frozenset({"feed", "min_count"}), frozenset({"codes", "window_months", "threshold", "repeat_months"})),
    # One bank account used by at least ``min_count`` households.
    "shared_account": (frozenset(), frozenset({"min_count", "repeat_months"})),
    # One person a member of at least ``min_count`` households.
    "duplicate_person": (frozenset(), frozenset({"min_count", "repeat_months"})),
    # A member with one of ``person_flags`` (e.g. a registered relative of a cadre).
    "person_flag": (frozenset({"person_flags"}), frozenset({"repeat_months"})),
    # A household with one of ``household_flags`` (e.g. the engine finds it eligible).
    "household_flag": (frozenset({"household_flags"}), frozenset({"repeat_months"})),
}
FEED_KINDS = frozenset({"event", "area_event", "sum", "income_over_line", "holdings"})
# Kinds whose warning is keyed by the triggering feed row; the others by period (``repeat_months``).
ROW_KINDS = frozenset({"event", "area_event"})

DEFAULT_WINDOW = {"event": 3, "area_event": 3, "sum": 12, "income_over_line": 3, "holdings": 12}
DEFAULT_REPEAT_MONTHS = 12


class RuleError(ValueError):
    """An invalid rule value; the message is Chinese and names the field."""


def is_rule_key(key: str) -> bool:
    return key.startswith(RULE_PREFIX) and bool(_CODE.match(key[len(RULE_PREFIX):]))


def rule_code(key: str) -> str:
    return key[len(RULE_PREFIX):]


def _positive_int(name: str, v: Any, *, zero: bool = False) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < (0 if zero else 1):
        raise RuleError(f"{name} 须为{'非负' if zero else '正'}整数（“{v}”）")
    return v


def _yuan_fen(name: str, v: Any) -> int:
    if isinstance(v, bool | float):
        raise RuleError(f"{name} 须为整数或带引号的小数金额（元），不能是浮点数")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise RuleError(f"{name}“{v}”不是有效金额") from None
    if d < 0 or d.as_tuple().exponent < -2:
        raise RuleError(f"{name}“{v}”不是有效金额（非负，最多两位小数）")
    return int(d * 100)


def _basis_points(name: str, v: Any) -> int:
    if isinstance(v, bool):
        raise RuleError(f"{name} 须为数字")
    try:
        d = Decimal(str(v).strip()) * 10_000
    except InvalidOperation:
        raise RuleError(f"{name}“{v}”不是有效比例") from None
    if d <= 0 or d != d.to_integral_value():
        raise RuleError(f"{name}“{v}”不是有效比例（正数，最多四位小数）")
    return int(d)


def _names(name: str, v: Any, allowed: dict[str, int]) -> tuple[str, ...]:
    if not isinstance(v, list) or not v:
        raise RuleError(f"{name} 须为非空列表")
    bad = [str(x) for x in v if x not in allowed]
    if bad:
        raise RuleError(f"{name} 中有未知取值 {', '.join(bad)}（可选：{', '.join(allowed)}）")
    return tuple(dict.fromkeys(v))


def _choice(name: str, v: Any, options) -> str:
    if v not in options:
        raise RuleError(f"{name}“{v}”不在可选值 {', '.join(options)} 中")
    return v


def mask(names: tuple[str, ...] | list[str], bits: dict[str, int]) -> int:
    out = 0
    for n in names:
        out |= bits[n]
    return out


def parse_rule(value: Any) -> dict[str, Any]:
    """Check one rule record and normalise it: money in fen, ratios in basis points, defaults filled in."""
    if not isinstance(value, dict):
        raise RuleError("预警规则须为映射（kind、title、severity…）")
    kind = _choice("kind", value.get("kind"), KINDS)
    needed, optional = KINDS[kind]
    unknown = set(value) - COMMON - needed - optional
    if unknown:
        raise RuleError(f"规则类型 {kind} 不接受字段 {', '.join(sorted(unknown))}")
    missing = [f for f in ("title", "severity", "response", "deadline_days", *sorted(needed)) if f not in value]
    if missing:
        raise RuleError(f"缺少字段 {', '.join(missing)}")
    title = value["title"]
    if not isinstance(title, str) or not title.strip():
        raise RuleError("title 须为中文名称")
    rule: dict[str, Any] = {
        "kind": kind,
        "title": title.strip(),
        "note": str(value.get("note") or ""),
        "severity": _choice("severity", value["severity"], SEVERITIES),
        "response": _choice("response", value["response"], RESPONSES),
        "deadline_days": _positive_int("deadline_days", value["deadline_days"]),
        "categories": _names("categories", value["categories"], CATEGORY_BITS) if "categories" in value else (),
        "exclude_categories": (_names("exclude_categories", value["exclude_categories"], CATEGORY_BITS)
                               if "exclude_categories" in value else ()),
        "recipients": _choice("recipients", value.get("recipients", "any"), RECIPIENTS),
        "person_flags": (_names("person_flags", value["person_flags"], PERSON_FLAG_BITS)
                         if "person_flags" in value else ()),
        "household_flags": (_names("household_flags", value["household_flags"], HOUSEHOLD_FLAG_BITS)
                            if "household_flags" in value else ()),
        "feed": "",
        "codes": (),
        "window_months": DEFAULT_WINDOW.get(kind, 1),
        "repeat_months": DEFAULT_REPEAT_MONTHS,
        "threshold_fen": 0,
        "share_bp": 0,
        "line_bp": 0,
        "min_count": 2 if kind in ("shared_account", "duplicate_person") else 1,
        "max_grade": 0,
    }
    if kind in FEED_KINDS:
        rule["feed"] = _choice("feed", value["feed"], FEED_CODES)
        if "codes" in value:
            rule["codes"] = _names("codes", value["codes"], FEED_CODES[rule["feed"]])
    if "window_months" in value:
        rule["window_months"] = _positive_int("window_months", value["window_months"])
    if "repeat_months" in value:
        rule["repeat_months"] = _positive_int("repeat_months", value["repeat_months"])
    if "threshold" in value:
        rule["threshold_fen"] = _yuan_fen("threshold", value["threshold"])
    if "share" in value:
        rule["share_bp"] = _basis_points("share", value["share"])
    if "line" in value:
        rule["line_bp"] = _basis_points("line", value["line"])
    if "min_count" in value:
        rule["min_count"] = _positive_int("min_count", value["min_count"])
    if "max_grade" in value:
        rule["max_grade"] = _positive_int("max_grade", value["max_grade"])
    overlap = set(rule["categories"]) & set(rule["exclude_categories"])
    if overlap:
        raise RuleError(f"categories 与 exclude_categories 同时包含 {', '.join(sorted(overlap))}")
    return rule


def month_index(year: int, month: int) -> int:
    """Months since year 0: plain integers keep window arithmetic the same in every SQL dialect."""
    return year * 12 + month - 1


def hash_key(text: str) -> int:
    """A stable signed 64-bit key for a holding or an account (plate, credit code, unit number, bank account): the
    job counts and compares them without the text ever leaving the database."""
    return int.from_bytes(hashlib.blake2b(text.strip().upper().encode(), digest_size=8).digest(), "big", signed=True)
