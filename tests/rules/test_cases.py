"""Runs every rule case in tests/rules/cases/*.yaml (situation → expected result, readable by a policy officer)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest
import yaml

from doudi.policy.loader import load_profile
from doudi.rules import evaluate_household

HERE = Path(__file__).parent
CASE_FILES = sorted((HERE / "cases").glob("*.yaml"))


@cache
def _params(profile: str, on: dt.date):
    local = HERE / "profiles" / f"{profile}.yaml"
    return load_profile(local if local.exists() else profile).params_as_of(on)


def _cases():
    for f in CASE_FILES:
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        for c in doc["cases"]:
            yield pytest.param(doc["profile"], c.get("date", doc["date"]), c, id=f"{f.stem}:{c['name']}")


def _get(d, path: str):
    """``a.b.c`` or ``a/b/0/c`` (a number indexes a list: ``persons/0/program``)."""
    for part in path.split("/") if "/" in path else path.split("."):
        d = d[int(part)] if isinstance(d, list) else d[part]
    return d


def test_every_locality_has_at_least_five_cases():
    for name in ("national", "hulunbuir", "dazhou", "yunnan", "dezhou", "shiqiao", "examples"):
        doc = yaml.safe_load((HERE / "cases" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert len(doc["cases"]) >= 5, name


@pytest.mark.parametrize(("profile", "on", "case"), list(_cases()))
def test_case(profile, on, case):
    on = on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
    household = {"id": "h", **case["household"]}
    household = yaml.safe_load(yaml.safe_dump(household, default_flow_style=False).replace("!!python", ""))
    household = _jsonify(household)
    result = evaluate_household(household, _params(profile, on), on)
    for key, expected in case["expect"].items():
        if key == "rules_include":
            assert expected in [r["code"] for r in result["rules"]], result["explanation"]
        elif key == "reasons_include":
            assert expected in [r["code"] for r in result["reasons"]], result["explanation"]
        else:
            assert _get(result, key) == expected, f"{key}: {result['explanation']}"
    assert result["explanation"]


def _jsonify(v):
    """YAML turns unquoted dates into date objects; the engine takes JSON, where dates are strings."""
    if isinstance(v, dict):
        return {k: _jsonify(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonify(x) for x in v]
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
