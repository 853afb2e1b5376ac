"""The job's input tables: their schema, and the rules table built from the profiles in force.

Everything is an integer: keys are the database ids (int64 surrogate keys), categories and flags are bit masks,
months are ``month_index`` numbers, money is fen. The rules table carries each rule's parameters as columns, so one
SQL statement evaluates every rule of every profile (``match.sql``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from doudi.rules.monitoring import (
    CATEGORY_BITS,
    FEED_CODES,
    FEED_NUMBERS,
    HOUSEHOLD_FLAG_BITS,
    PERSON_FLAG_BITS,
    RECIPIENTS,
    RULE_PREFIX,
    mask,
    month_index,
    rule_code,
)

SQL = Path(__file__).with_name("match.sql")
I64 = pl.Int64
SCHEMAS: dict[str, dict[str, Any]] = {
    "persons": {"pkey": I64, "hkey": I64, "cats": I64, "paid": I64, "pflags": I64},
    "households": {"hkey": I64, "vkey": I64, "prof": I64, "cats": I64, "paid": I64, "hflags": I64, "std": I64,
                   "counted": I64, "income": I64, "acct": I64},
    "records": {"rkey": I64, "feed": I64, "pkey": I64, "hkey": I64, "vkey": I64, "mon": I64, "cbit": I64,
                "amount": I64, "grade": I64, "item": I64},
    "rules": {"rule_id": I64, "spec": I64, "prof": I64, "kind": pl.String, "feed": I64, "codes": I64, "min_mon": I64,
              "max_mon": I64, "bucket": I64, "win": I64, "threshold": I64, "share_bp": I64, "line_bp": I64,
              "min_count": I64, "max_grade": I64, "cats": I64, "xcats": I64, "paid": I64, "pflags": I64,
              "hflags": I64},
}
HITS = {"rule_id": I64, "hkey": I64, "vkey": I64, "pkey": I64, "rkey": I64, "bucket": I64, "mon": I64, "measure": I64}
HIT_ORDER = ["rule_id", "hkey", "pkey", "rkey", "bucket"]


@dataclass(frozen=True)
class RuleInForce:
    rule_id: int
    code: str
    profile: str
    spec: dict[str, Any]
    basis: str  # the source document, or "示意值" with its note


def match_sql() -> str:
    return SQL.read_text(encoding="utf-8")


def code_bit(feed: str, code: str) -> int:
    return 1 << FEED_CODES[feed][code]


def rules_in_force(profiles: list[str], as_of: dt.date, loader=None) -> list[RuleInForce]:
    """Every warning rule in force on ``as_of`` in each profile (file values plus admin overrides)."""
    if loader is None:
        from doudi.policy.services import profile_load_effective

        def loader(name):
            return profile_load_effective(name_or_path=name)

    out: list[RuleInForce] = []
    for profile in sorted(set(profiles)):
        p = loader(profile)
        for key in sorted(k for k in p.entries if k.startswith(RULE_PREFIX)):
            entry = p.resolve(key, as_of)
            if entry is None:
                continue
            basis = f"示意值：{entry.note}" if entry.illustrative else str(entry.source)
            out.append(RuleInForce(len(out) + 1, rule_code(key), profile, entry.value, basis[:300]))
    return out


def rules_frame(rules: list[RuleInForce], profile_ids: dict[str, int], as_of: dt.date) -> pl.DataFrame:
    now = month_index(as_of.year, as_of.month)
    rows = []
    specs: dict[tuple, int] = {}
    for r in rules:
        s = r.spec
        # Rules that total the same rows (same kind, feed, codes and window) share one aggregation in the job.
        spec = specs.setdefault((s["kind"], s["feed"], s["codes"], s["window_months"]), len(specs) + 1)
        rows.append({
            "rule_id": r.rule_id, "spec": spec, "prof": profile_ids[r.profile], "kind": s["kind"],
            "feed": FEED_NUMBERS.get(s["feed"], 0),
            "codes": sum(code_bit(s["feed"], c) for c in s["codes"]),
            "min_mon": now - s["window_months"] + 1, "max_mon": now, "bucket": now // s["repeat_months"],
            "win": s["window_months"], "threshold": s["threshold_fen"], "share_bp": s["share_bp"],
            "line_bp": s["line_bp"], "min_count": s["min_count"], "max_grade": s["max_grade"],
            "cats": mask(s["categories"], CATEGORY_BITS), "xcats": mask(s["exclude_categories"], CATEGORY_BITS),
            "paid": RECIPIENTS[s["recipients"]], "pflags": mask(s["person_flags"], PERSON_FLAG_BITS),
            "hflags": mask(s["household_flags"], HOUSEHOLD_FLAG_BITS),
        })
    return pl.DataFrame(rows, schema=SCHEMAS["rules"])


def records_by_household(records: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """Department rows (the records columns but ``hkey``) with their household resolved once, here, instead of in
    every run of the job: one row per row and household of its person (a person in two households gives two rows),
    ``hkey`` 0 for a village row or a person outside the database. Sorted by feed and month, so the job's parts read
    only the row groups of their own feeds and windows."""
    links = persons.select("pkey", "hkey").unique().filter(pl.col("pkey") != 0)
    frame = records.join(links, on="pkey", how="left").with_columns(pl.col("hkey").fill_null(0))
    return frame.select(list(SCHEMAS["records"])).sort("feed", "mon", "rkey", "hkey")


def write_table(workdir: Path, name: str, frame: pl.DataFrame) -> Path:
    path = workdir / f"{name}.parquet"
    frame.select([pl.col(c).cast(t) for c, t in SCHEMAS[name].items()]).write_parquet(path)
    return path
