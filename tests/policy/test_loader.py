"""Profile loading and validation: errors name file, key and date; localities are data only."""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from doudi.policy.loader import ProfileError, available_profiles, load_profile, validate_value


def _write(tmp_path, name, body):
    p = tmp_path / f"{name}.yaml"
    p.write_text(textwrap.dedent(body), encoding="utf-8")
    return p


def test_all_shipped_profiles_load_and_extend_national():
    assert set(available_profiles()) >= {"national", "hulunbuir", "dazhou", "yunnan", "dezhou", "shiqiao"}
    for name in available_profiles():
        params = load_profile(name).params_as_of(dt.date(2026, 3, 1))
        assert params["dibao.standard.urban"] > 0
        assert params["margin.multiple"] == 15000


def test_illustrative_amounts_are_never_presented_as_official():
    for name in available_profiles():
        params = load_profile(name).params_as_of(dt.date(2026, 3, 1))
        for key in ("dibao.standard.urban", "dibao.standard.rural", "min_wage.monthly",
                    "prior_year_disposable_income.urban"):
            assert params.meta[key].illustrative, (name, key)
            assert params.label(key).startswith("示意值")


def test_basic_pension_exclusion_is_dated_to_the_14th_five_year_plan():
    p = load_profile("national")
    in_plan = p.params_as_of(dt.date(2025, 12, 31)).meta["income.excluded_kinds"]
    after = p.params_as_of(dt.date(2026, 1, 1)).meta["income.excluded_kinds"]
    assert not in_plan.illustrative and "57号" in in_plan.source
    assert after.illustrative and "UNCONFIRMED" in after.note


def test_locality_overrides_only_what_it_names():
    dz = load_profile("dazhou").params_as_of(dt.date(2026, 3, 1))
    assert dz["dibao.employment_cost.min_wage_share"] == 2500
    assert "二(二)4" in dz.meta["dibao.employment_cost.min_wage_share"].source
    assert dz.meta["margin.multiple"].origin.endswith("national.yaml")


def test_new_locality_from_any_path_without_code(tmp_path):
    p = _write(tmp_path, "newtown", """
        name: newtown
        extends: national
        params:
          dibao.standard.urban:
            - {value: "1000.50", from: 2025-01-01, source: "某市民发〔2025〕1号 二"}
        """)
    params = load_profile(str(p)).params_as_of(dt.date(2025, 6, 1))
    assert params["dibao.standard.urban"] == 100050
    assert params.label("dibao.standard.urban") == "某市民发〔2025〕1号 二，2025-01-01 起"
    # a locality replaces the whole dated history of a key it names: before its first date there is no value
    assert "dibao.standard.urban" not in load_profile(str(p)).params_as_of(dt.date(2024, 6, 1))
    assert load_profile(str(p)).params_as_of(dt.date(2024, 6, 1))["dibao.standard.rural"] == 70000  # inherited


@pytest.mark.parametrize(("body", "needle"), [
    ("  nope.key:\n    - {value: 1, from: 2025-01-01, source: x}\n", "参数 nope.key"),
    ("  margin.multiple:\n    - {value: abc, from: 2025-01-01, source: x}\n", "日期 2025-01-01"),
    ("  dibao.standard.urban:\n    - {value: 900.5, from: 2025-01-01, source: x}\n", "浮点数"),
    ("  dibao.standard.urban:\n    - {value: 900, from: 2025-01-01}\n", "缺少 source"),
    ("  dibao.standard.urban:\n    - {value: 900, from: 2025-01-01, illustrative: true}\n", "note"),
    ("  dibao.standard.urban:\n    - {value: 900, from: 2025-01-01, source: a}\n"
     "    - {value: 950, from: 2025-06-01, source: b}\n", "重叠"),
    ("  grace.excluded_reasons:\n    - {value: [death, lottery], from: 2025-01-01, source: a}\n", "lottery"),
])
def test_invalid_profiles_name_file_key_and_date(tmp_path, body, needle):
    p = tmp_path / "bad.yaml"
    p.write_text("name: bad\nextends: national\nparams:\n" + body, encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(p))
    msg = str(e.value)
    assert needle in msg
    assert "bad.yaml" in msg


def test_unknown_profile_name():
    with pytest.raises(ProfileError, match="未知政策配置"):
        load_profile("atlantis")


def test_admin_values_use_the_same_validator():
    assert validate_value("tekun.care_share.partial", 0.25) == 2500
    with pytest.raises(ProfileError, match=r"tekun\.care_share\.partial"):
        validate_value("tekun.care_share.partial", "a quarter")


def test_no_locality_name_in_rules_code():
    from pathlib import Path

    import doudi.rules

    src = "".join(p.read_text(encoding="utf-8") for p in Path(doudi.rules.__file__).parent.glob("*.py")
                  if p.name != "bench.py")  # the benchmark's default --profile is a CLI default, not a rule
    for name in ("hulunbuir", "dazhou", "yunnan", "dezhou", "shiqiao", "呼伦贝尔", "达州", "云南", "德州", "石桥"):
        assert name not in src


@pytest.mark.parametrize(("body", "key", "date"), [
    # Dazhou: ≤ 6 months in principle ([001] 二(二)4); a county value of 8 is outside its own range
    ("  grace.max_months:\n    - {value: 6, from: 2023-01-01, source: a}\n"
     "  grace.months:\n    - {value: 6, from: 2023-01-01, source: a}\n    - {value: 8, from: 2025-07-01, source: b}\n",
     "grace.months", "2025-07-01"),
    ("  grace.min_months:\n    - {value: 6, from: 2023-01-01, source: a}\n"
     "  grace.months:\n    - {value: 3, from: 2024-01-01, source: b}\n", "grace.months", "2024-01-01"),
    ("  temporary.township_limit:\n    - {value: 30000, from: 2024-01-01, source: a}\n", "temporary.township_limit",
     "2024-01-01"),
])
def test_a_value_outside_its_own_range_names_file_key_and_date(tmp_path, body, key, date):
    p = tmp_path / "county.yaml"
    p.write_text("name: county\nextends: national\nparams:\n" + body, encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        load_profile(str(p))
    msg = str(e.value)
    assert "county.yaml" in msg and f"参数 {key}" in msg and f"日期 {date}" in msg


def test_dazhou_grace_range_is_sourced_from_its_document():
    dz = load_profile("dazhou").params_as_of(dt.date(2026, 3, 1))
    assert (dz["grace.months"], dz["grace.max_months"], dz["grace.special_max_months"]) == (6, 6, 12)
    for key in ("grace.months", "grace.max_months", "grace.special_max_months"):
        assert not dz.meta[key].illustrative and "二(二)4" in dz.meta[key].source


def test_property_limit_as_a_fixed_amount_per_person(tmp_path):
    from doudi.rules import evaluate_household

    p = _write(tmp_path, "fixed", """
        extends: national
        params:
          dibao.property.financial_method:
            - {value: per_person, from: 2025-01-01, source: "某市民发〔2025〕2号 三(一)"}
          dibao.property.financial_per_person:
            - {value: 15000, from: 2025-01-01, source: "某市民发〔2025〕2号 三(一)（人均金融资产不超过1.5万元）"}
        """)
    on = dt.date(2026, 3, 1)
    params = load_profile(str(p)).params_as_of(on)
    two = [{"birth_date": "1970-01-01"}, {"birth_date": "1972-01-01"}]
    ok = evaluate_household({"id": "a", "area": "urban", "members": two, "assets": {"deposits": 3_000_000}},
                            params, on)
    over = evaluate_household({"id": "a", "area": "urban", "members": two, "assets": {"deposits": 3_000_100}},
                              params, on)
    assert ok["dibao"]["eligible"] is True  # 30 000 = 2 × 15 000 (not 2 × 24 × 900 = 43 200 months × standard)
    assert over["dibao"]["eligible"] is False
    assert any("人均金融资产不超过1.5万元" in line for line in over["explanation"])


def test_every_key_is_documented():
    from pathlib import Path

    from doudi.policy.loader import KEYS

    doc = (Path(__file__).parents[2] / "docs" / "policy-profiles.md").read_text(encoding="utf-8")
    missing = [k for k in KEYS if f"`{k}`" not in doc and not k.startswith("medical.")]
    assert not missing
    for kind in ("outpatient_chronic", "inpatient", "premium"):
        assert f"`medical.{kind}." in doc
