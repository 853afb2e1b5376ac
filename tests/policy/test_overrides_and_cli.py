"""Admin overrides (newest row wins, history kept) and the `doudi evaluate` command."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from doudi.policy.loader import load_profile
from doudi.policy.models import PolicyValue
from doudi.policy.services import policy_value_create, profile_apply_overrides

HOUSEHOLD = {"id": "a", "area": "urban", "members": [{"birth_date": "1970-01-01", "income": {"pension": 50000}}]}


@pytest.mark.django_db
def test_newest_admin_row_wins_and_history_is_kept():
    policy_value_create(actor=None, profile="hulunbuir", key="dibao.standard.urban", value=1000,
                        valid_from=dt.date(2026, 1, 1), source="呼民发〔2026〕1号")
    policy_value_create(actor=None, profile="hulunbuir", key="dibao.standard.urban", value="1010.00",
                        valid_from=dt.date(2026, 1, 1), source="呼民发〔2026〕2号（更正）")
    p = profile_apply_overrides(profile=load_profile("hulunbuir"))
    params = p.params_as_of(dt.date(2026, 3, 1))
    assert params["dibao.standard.urban"] == 101000
    assert params.label("dibao.standard.urban") == "呼民发〔2026〕2号（更正），2026-01-01 起"
    assert p.params_as_of(dt.date(2025, 3, 1))["dibao.standard.urban"] == 90000  # file value before the override
    assert PolicyValue.objects.count() == 2
    with pytest.raises(ValidationError):
        PolicyValue.objects.first().delete()


@pytest.mark.django_db
def test_admin_value_is_validated_like_the_files():
    with pytest.raises(ValidationError, match="缺少 source"):
        policy_value_create(actor=None, profile="dazhou", key="margin.multiple", value=1.5,
                            valid_from=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="浮点数"):
        policy_value_create(actor=None, profile="dazhou", key="dibao.standard.urban", value=900.5,
                            valid_from=dt.date(2026, 1, 1), source="x")


def _run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("evaluate", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_cli_uses_db_overrides(tmp_path):
    policy_value_create(actor=None, profile="national", key="dibao.standard.urban", value=1000,
                        valid_from=dt.date(2026, 1, 1), source="某文件")
    f = tmp_path / "h.json"
    f.write_text(json.dumps(HOUSEHOLD), encoding="utf-8")
    d = json.loads(_run("--profile", "national", "--date", "2026-03-01", str(f)))
    assert d["dibao"]["amount_fen"] == 50000


def test_cli_works_from_files_without_db(tmp_path, monkeypatch):
    out = _run("--profile", "national", "--date", "2026-03-01", "--no-db", stdin=json.dumps(HOUSEHOLD),
               monkeypatch=monkeypatch)
    d = json.loads(out)
    assert d["dibao"]["amount_fen"] == 40000
    assert "低保" in out and "\\u" not in out  # Chinese is written as UTF-8, not escaped


def test_cli_without_database_falls_back_to_files(tmp_path, monkeypatch):
    # no django_db mark: any DB access raises, and the command must still answer from the files
    out = _run("--profile", "dazhou", "--date", "2026-03-01", stdin=json.dumps({"households": [HOUSEHOLD]}),
               monkeypatch=monkeypatch)
    assert json.loads(out)["decisions"][0]["household_id"] == "a"


@pytest.mark.parametrize(("args", "stdin", "needle"), [
    (["--profile", "atlantis", "--date", "2026-03-01"], "{}", "未知政策配置"),
    (["--profile", "national", "--date", "2026-13-01"], "{}", "日期"),
    (["--profile", "national", "--date", "2026-03-01", "--no-db"], "{not json", "JSON"),
    (["--profile", "national", "--date", "2026-03-01", "--no-db"],
     json.dumps({"area": "urban", "members": [{"birth_date": "1970-01-01", "income": {"wage": 12.5}}]}),
     "members[0].income.wage"),
])
def test_cli_errors_are_one_chinese_line(args, stdin, needle, monkeypatch):
    with pytest.raises(CommandError) as e:
        _run(*args, stdin=stdin, monkeypatch=monkeypatch)
    assert needle in str(e.value)
    assert "\n" not in str(e.value)


def test_cli_exit_code_is_non_zero(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "doudi", "evaluate", "--profile", "nope", "--date", "2026-03-01"],
                       input="{}", capture_output=True, text=True, env={"DOUDI_DATA_DIR": str(tmp_path),
                                                                        "PATH": "/usr/bin:/bin"}, timeout=60)
    assert r.returncode != 0
    assert "未知政策配置" in r.stderr


@pytest.mark.django_db
def test_an_admin_entered_policy_value_is_audited():
    import datetime as dt

    from doudi.audit.models import AuditEvent
    from doudi.policy.services import policy_value_create

    row = policy_value_create(
        actor=None, profile="hulunbuir", key="dibao.standard.urban", value=1000, valid_from=dt.date(2027, 1, 1),
        source="测试文号〔2026〕9号",
    )
    event = AuditEvent.objects.get(object_type="policy.policyvalue", object_id=str(row.pk))
    assert event.action == "create" and event.changes["key"] == "dibao.standard.urban"


@pytest.mark.django_db
def test_admin_value_outside_the_profiles_own_range_is_refused_naming_key_and_date():
    # Hulunbuir's counties choose 3–12 months ([000] 三(三)4): 14 is refused, 9 accepted.
    with pytest.raises(ValidationError) as e:
        policy_value_create(actor=None, profile="hulunbuir", key="grace.months", value=14,
                            valid_from=dt.date(2026, 1, 1), source="某旗民发〔2026〕3号")
    assert "参数 grace.months" in str(e.value) and "日期 2026-01-01" in str(e.value)
    assert not PolicyValue.objects.exists()
    policy_value_create(actor=None, profile="hulunbuir", key="grace.months", value=9,
                        valid_from=dt.date(2026, 1, 1), source="某旗民发〔2026〕3号")
    params = profile_apply_overrides(profile=load_profile("hulunbuir")).params_as_of(dt.date(2026, 3, 1))
    assert params["grace.months"] == 9


@pytest.mark.django_db
def test_the_admin_screen_offers_and_saves_monitoring_and_care_keys(tree):
    """The admin's add form lists every profile key (not only the engine's) and saves through the audited service;
    a bad rule value is refused with the validator's message and nothing is written."""
    from django.test import Client
    from django.urls import reverse

    from doudi.audit.models import AuditEvent
    from tests import factories as f

    client = Client()
    client.force_login(f.user("root", is_staff=True, is_superuser=True))
    url = reverse("admin:policy_policyvalue_add")
    page = client.get(url).content.decode()
    for key in ("care.visit_days.elderly_alone", "monitoring.report.deadline_days",
                "monitoring.rule.medical_oop_amount", "dibao.standard.urban"):
        assert f'value="{key}"' in page
    rule = load_profile("national").resolve("monitoring.rule.medical_oop_amount", dt.date(2026, 3, 1)).raw
    form = {"profile": "national", "key": "monitoring.rule.medical_oop_amount",
            "value": json.dumps({**rule, "threshold": 30000}, ensure_ascii=False), "valid_from": "2026-01-01",
            "source": "某民发〔2026〕9号"}
    assert client.post(url, form).status_code == 302
    row = PolicyValue.objects.get(key="monitoring.rule.medical_oop_amount")
    assert row.value["threshold"] == 30000
    assert AuditEvent.objects.filter(object_type="policy.policyvalue", object_id=str(row.pk), action="create").exists()
    assert client.post(url, {**form, "key": "care.visit_days.elderly_alone", "value": "30"}).status_code == 302
    assert PolicyValue.objects.filter(key="care.visit_days.elderly_alone", value=30).exists()

    bad = client.post(url, {**form, "value": json.dumps({**rule, "threshold": "很多"}, ensure_ascii=False)})
    assert bad.status_code == 200 and PolicyValue.objects.count() == 2


@pytest.mark.django_db
def test_an_administrators_value_is_in_force_only_when_a_second_administrator_confirms_it():
    """Issue 9: a policy value changes every later decision and payment, so one person cannot put it in force."""
    from doudi.audit.models import AuditEvent
    from doudi.core.errors import DomainError
    from doudi.policy.services import policy_value_confirm
    from tests import factories as f

    maker = f.user("root", is_staff=True, is_superuser=True)
    checker = f.user("root2", is_staff=True, is_superuser=True)
    county = f.user("county-admin", is_staff=True)
    on = dt.date(2026, 3, 1)

    def urban() -> object:
        return profile_apply_overrides(profile=load_profile("hulunbuir")).params_as_of(on)["dibao.standard.urban"]

    before = urban()
    row = policy_value_create(actor=maker, profile="hulunbuir", key="dibao.standard.urban", value=1234,
                              valid_from=dt.date(2026, 1, 1), source="测试文号〔2026〕11号")
    assert not row.confirmed and urban() == before  # entered, not in force
    with pytest.raises(DomainError) as same:
        policy_value_confirm(actor=maker, row=row)
    assert same.value.code == "maker_checker" and "另一名管理员" in same.value.message
    with pytest.raises(DomainError):
        policy_value_confirm(actor=county, row=row)  # not an administrator of the whole installation
    assert urban() == before
    policy_value_confirm(actor=checker, row=row)
    assert urban() != before and PolicyValue.objects.get(pk=row.pk).confirmed_by == checker
    assert AuditEvent.objects.filter(object_type="policy.policyvalue", object_id=str(row.pk), action="update",
                                     actor=checker).exists()
    with pytest.raises(DomainError) as twice:
        policy_value_confirm(actor=checker, row=row)
    assert twice.value.code == "already_confirmed"


@pytest.mark.django_db
def test_the_admin_confirm_action_refuses_the_maker_and_accepts_a_second_administrator():
    from django.test import Client
    from django.urls import reverse

    from tests import factories as f

    maker = f.user("root", is_staff=True, is_superuser=True)
    row = policy_value_create(actor=maker, profile="hulunbuir", key="grace.months", value=9,
                              valid_from=dt.date(2026, 1, 1), source="某旗民发〔2026〕3号")
    url = reverse("admin:policy_policyvalue_changelist")
    client = Client()
    client.force_login(maker)
    page = client.post(url, {"action": "confirm", "_selected_action": [row.pk]}, follow=True).content.decode()
    assert "录入人不能确认自己录入的政策参数取值" in page
    assert not PolicyValue.objects.get(pk=row.pk).confirmed
    client.force_login(f.user("root2", is_staff=True, is_superuser=True))
    page = client.post(url, {"action": "confirm", "_selected_action": [row.pk]}, follow=True).content.decode()
    assert "1 条政策参数取值已确认生效" in page
    assert PolicyValue.objects.get(pk=row.pk).confirmed
