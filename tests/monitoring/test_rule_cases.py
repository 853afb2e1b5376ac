"""Every warning rule against hand-computed cases (tests/monitoring/cases/*.yaml), run by the job's SQL on DuckDB."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml

from doudi.monitoring.job.engines import run_duckdb
from doudi.policy.loader import available_profiles, load_profile
from doudi.rules.monitoring import RULE_PREFIX, rule_code
from tests.monitoring.rulecase import build_tables

HERE = Path(__file__).parent / "cases"
DOCS = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8")) for f in sorted(HERE.glob("*.yaml"))}


def _cases():
    for stem, doc in DOCS.items():
        for case in doc["cases"]:
            yield pytest.param(doc["profile"], doc["date"], case, id=f"{stem}:{case['name']}")


@pytest.mark.parametrize(("profile", "on", "case"), list(_cases()))
def test_rule_case(profile, on, case, tmp_path):
    on = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on))
    codes = build_tables(case, profile, on, tmp_path)
    run_duckdb(tmp_path, tmp_path / "hits.parquet")
    hits = pl.read_parquet(tmp_path / "hits.parquet")
    got = sorted((h, p) for r, h, p in hits.select("rule_id", "hkey", "pkey").iter_rows() if codes[r] == case["rule"])
    expected = sorted((e["household"], e.get("person", 0)) for e in case["expect"])
    assert got == expected


def test_every_rule_of_every_profile_has_a_positive_and_a_negative_case():
    covered: dict[tuple[str, str], set[bool]] = {}
    for doc in DOCS.values():
        for case in doc["cases"]:
            covered.setdefault((doc["profile"], case["rule"]), set()).add(bool(case["expect"]))
    for name in available_profiles():
        profile = load_profile(name)
        own = {rule_code(k) for k, entries in profile.entries.items()
               if k.startswith(RULE_PREFIX) and any(e.origin == profile.path for e in entries)}
        for code in own:
            outcomes = covered.get((name, code), set())
            if name == "national":
                assert outcomes == {True, False}, code
            else:
                assert True in outcomes, f"{name}:{code}"
