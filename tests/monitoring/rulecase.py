"""Turn a readable rule case (households, members, department rows) into the job's input tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl

from doudi.monitoring.job.tables import SCHEMAS, records_by_household, rules_frame, rules_in_force, write_table
from doudi.policy.loader import load_profile
from doudi.rules.monitoring import (
    CATEGORY_BITS,
    FEED_CODES,
    FEED_NUMBERS,
    HOUSEHOLD_FLAG_BITS,
    PERSON_FLAG_BITS,
    hash_key,
    mask,
    month_index,
)

PAID = ("dibao", "tekun")


def _fen(yuan) -> int:
    return int(Decimal(str(yuan)) * 100) if yuan else 0


def _month(text) -> int:
    year, month = str(text).split("-")[:2]
    return month_index(int(year), int(month))


def build_tables(case: dict, profile: str, as_of: dt.date, workdir: Path) -> dict[int, str]:
    """Write persons/households/records/rules for ``case``; returns rule id → rule code."""
    persons, households = [], []
    for h in case.get("households", []):
        cats = paid = 0
        for m in h.get("members", []):
            c = mask(m.get("categories", []), CATEGORY_BITS)
            p = int(m.get("paid", any(x in PAID for x in m.get("categories", []))))
            persons.append((m["id"], h["id"], c, p, mask(m.get("flags", []), PERSON_FLAG_BITS)))
            cats, paid = cats | c, paid | p
        hflags = mask(h.get("engine", []), HOUSEHOLD_FLAG_BITS)
        households.append((h["id"], h.get("village", 101), 1, cats, paid, hflags, _fen(h.get("std", 0)),
                           h.get("counted", 0), _fen(h.get("income", 0)),
                           hash_key(h["account"]) if h.get("account") else 0))
    records = []
    for i, r in enumerate(case.get("records", []), start=1):
        code = FEED_CODES[r["feed"]][r["code"]] if "code" in r else next(iter(FEED_CODES[r["feed"]].values()))
        records.append({"rkey": i, "feed": FEED_NUMBERS[r["feed"]], "pkey": r.get("person", 0),
                        "vkey": r.get("village", 0), "mon": _month(r["month"]), "cbit": 1 << code,
                        "amount": _fen(r.get("amount", 0)), "grade": r.get("grade", 0),
                        "item": hash_key(r["item"]) if r.get("item") else 0})
    workdir.mkdir(parents=True, exist_ok=True)
    frames = {name: pl.DataFrame(rows, schema=SCHEMAS[name], orient="row")
              for name, rows in (("persons", persons), ("households", households))}
    raw = pl.DataFrame(records, schema={c: t for c, t in SCHEMAS["records"].items() if c != "hkey"})
    frames["records"] = records_by_household(raw, frames["persons"])
    for name, frame in frames.items():
        write_table(workdir, name, frame)
    rules = rules_in_force([profile], as_of, loader=load_profile)
    write_table(workdir, "rules", rules_frame(rules, {profile: 1}, as_of))
    return {r.rule_id: r.code for r in rules}
