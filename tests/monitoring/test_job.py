"""The matching job end to end on the database: export → DuckDB → warnings, idempotent, resumable and scoped."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.utils import timezone

from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import RunState
from doudi.monitoring.feeds.loader import feed_load
from doudi.monitoring.job.run import monitoring_run
from doudi.monitoring.models import Alert, MonitoringRun
from doudi.monitoring.services import lowincome_refresh
from doudi.registry.models import Membership
from tests import factories as f
from tests.monitoring.conftest import dibao, with_income

pytestmark = pytest.mark.django_db


def _person(household, index=0):
    return Membership.objects.filter(household=household).order_by("id")[index].person


@pytest.fixture
def scene(tree, people):
    """A 低保 household in 甲村 whose member died, big medical bills in 甲社区, and a household in 乙镇."""
    today = timezone.localdate()
    paid = with_income(f.household(tree.village_a, members=2), 200)
    dibao(paid, start=dt.date(2024, 1, 1))
    sick = with_income(f.household(tree.village_a2, members=1), 300)
    dibao(sick, start=dt.date(2024, 1, 1))
    other = with_income(f.household(tree.village_b, members=1), 100)
    dibao(other, start=dt.date(2024, 1, 1))
    police = f.user("police", (tree.county, "department"), department="public_security")
    medical = f.user("yibao", (tree.county, "department"), department="medical_security")
    died = _person(paid, 1)
    day = (today - dt.timedelta(days=20)).isoformat()
    feed_load(actor=police, feed="death", region=tree.county, period=today, filename="deaths.csv",
              data=f"身份证号码,姓名,死亡日期\n{died.id_number},{died.name},{day}\n".encode())
    lines = [f"{_person(sick).id_number},病人,JS{i},{day},住院,20000,8000," for i in range(3)]
    feed_load(actor=medical, feed="medical_settlement", region=tree.county, period=today, filename="med.csv",
              data=("身份证号码,姓名,结算单号,结算日期,就诊类型,医疗总费用（元）,个人自付（元）,医疗机构\n"
                    + "\n".join(lines) + "\n").encode())
    lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=today)
    return {"paid": paid, "sick": sick, "other": other, "died": died}


def test_the_job_raises_each_warning_once_where_the_household_lives(tree, people, scene):
    run = monitoring_run(actor=people.county, region_code=tree.county.code, as_of=timezone.localdate())
    assert run.state == RunState.DONE and run.created_count == run.total_count > 0
    death = Alert.objects.get(rule_code="death_still_paid")
    assert (death.household, death.person, death.region) == (scene["paid"], scene["died"], tree.village_a)
    assert death.severity == "red" and death.suggested == "stop" and death.feed_row.person == scene["died"]
    medical = Alert.objects.get(rule_code="medical_oop_amount")
    assert medical.household == scene["sick"] and medical.measure_fen == 2_400_000
    assert medical.detail == "近12个月合计24,000.00元（预警线20,000.00元）"
    count = Alert.objects.count()

    again = monitoring_run(actor=people.county, region_code=tree.county.code, as_of=timezone.localdate())
    assert again.created_count == 0 and again.total_count == run.total_count
    assert Alert.objects.count() == count  # re-running never alerts twice


def test_each_warning_carries_its_own_rules_fields_whatever_the_chunking(tree, people, scene):
    """The store stages only what differs per hit and joins the rule's fields in SQL: every warning, stored one per
    chunk here, has the title, severity, response, deadline, basis and health flag of its own rule."""
    from doudi.monitoring.job.tables import rules_in_force
    from doudi.rules.monitoring import HEALTH_FEEDS

    today = timezone.localdate()
    run = monitoring_run(actor=people.county, region_code=tree.county.code, as_of=today, chunk_size=1)
    rules = {r.code: r for r in rules_in_force(["national"], today)}
    alerts = list(Alert.objects.all())
    assert run.state == RunState.DONE and len(alerts) == run.created_count == run.total_count >= 2
    assert len({a.rule_code for a in alerts}) >= 2  # chunks of different rules follow each other
    for alert in alerts:
        spec = rules[alert.rule_code].spec
        assert (alert.rule_title, alert.severity, alert.suggested, alert.deadline_days) == (
            spec["title"][:100], spec["severity"], spec["response"], spec["deadline_days"])
        assert alert.basis == rules[alert.rule_code].basis and alert.basis
        assert alert.health == (spec["feed"] in HEALTH_FEEDS)
        assert alert.run_id == run.pk and alert.source == "matching" and alert.status == "new"
    assert Alert.objects.get(rule_code="medical_oop_amount").health
    assert not Alert.objects.get(rule_code="death_still_paid").health


def test_an_interrupted_run_resumes_from_its_cursor(tree, people, scene):
    first = monitoring_run(actor=people.county, region_code=tree.county.code, chunk_size=1, max_chunks=1)
    assert first.state == RunState.STORING and first.done_count == 1 and Alert.objects.count() == 1
    done = monitoring_run(actor=people.county, run_id=first.pk, chunk_size=1)
    assert done.state == RunState.DONE and done.done_count == done.total_count
    assert Alert.objects.count() == done.total_count == done.created_count
    assert MonitoringRun.objects.count() == 1


def test_a_township_runs_and_sees_only_its_own_warnings(tree, people, scene):
    with pytest.raises(NotFoundOrForbidden):  # another township
        monitoring_run(actor=people.colleague, region_code=tree.town_a.code)
    monitoring_run(actor=people.county, region_code=tree.county.code)
    mine = set(Alert.objects.restrict(people.owner, "view").values_list("household", flat=True))
    theirs = set(Alert.objects.restrict(people.colleague, "view").values_list("household", flat=True))
    assert scene["paid"].pk in mine and scene["paid"].pk not in theirs
    assert not (mine & theirs)


def test_another_countys_upload_cannot_raise_warnings_about_our_residents(tree, people, scene):
    county = f.region("150783000000", "扎兰屯市", "county", tree.city)
    police = f.user("police2", (county, "department"), department="public_security")
    resident = _person(scene["other"])
    feed_load(actor=police, feed="death", region=county, period=timezone.localdate(), filename="d2.csv",
              data=f"身份证号码,死亡日期\n{resident.id_number},{timezone.localdate().isoformat()}\n".encode())
    monitoring_run(actor=people.county, region_code=tree.county.code)
    assert not Alert.objects.filter(person=resident).exists()


def test_the_background_task_refreshes_matches_and_resumes(tree, people, scene):
    from doudi.monitoring.tasks import resume_monitoring, run_monitoring

    result = run_monitoring.call(tree.county.code, timezone.localdate().isoformat(), "duckdb", people.county.pk)
    assert result["state"] == RunState.DONE and result["created"] == Alert.objects.count() > 0
    again = resume_monitoring.call(result["run"], people.county.pk)
    assert again == {"run": result["run"], "state": RunState.DONE, "done": result["hits"], "total": result["hits"]}
    assert Alert.objects.count() == result["created"]


def test_a_rerun_stages_only_warnings_not_stored_yet(tree, people, scene, monkeypatch):
    from doudi.monitoring.job import run as job_run

    first = monitoring_run(actor=people.county, region_code=tree.county.code)
    gone = Alert.objects.get(rule_code="death_still_paid")
    Alert.objects.filter(pk=gone.pk).delete()
    staged, real = [], job_run.store_hits

    def counting(**kwargs):
        staged.append(pl.read_parquet(kwargs["hits"]).height)
        return real(**kwargs)

    monkeypatch.setattr(job_run, "store_hits", counting)
    again = monitoring_run(actor=people.county, region_code=tree.county.code)
    assert staged == [1] and again.created_count == 1  # only the deleted one was staged, and stored again
    assert again.total_count == first.total_count and again.done_count == again.total_count
    assert Alert.objects.get(rule_code="death_still_paid").key == gone.key


def test_a_hit_that_points_nowhere_stops_the_store(tree, people, scene, monkeypatch):
    """Warnings carry no database foreign keys: the store checks each chunk's households, persons and villages."""
    from doudi.monitoring.errors import MonitoringError
    from doudi.monitoring.job import store

    real = store._frame

    def dangling(part, rules, rules_frame):
        return real(part, rules, rules_frame).with_columns(household_id=pl.lit(10**12, dtype=pl.Int64))

    monkeypatch.setattr(store, "_frame", dangling)
    with pytest.raises(MonitoringError) as exc:
        monitoring_run(actor=people.county, region_code=tree.county.code)
    assert exc.value.code == "dangling_hit" and not Alert.objects.exists()


def test_an_admin_override_of_a_rule_threshold_changes_the_warnings(tree, people, scene):
    """A warning rule is a profile key like any other: an administrator's dated, validated, audited value overrides
    the file's (policy.services.policy_value_create), and the next run reads it."""
    from doudi.audit.models import AuditEvent
    from doudi.policy.loader import load_profile
    from doudi.policy.services import policy_value_confirm, policy_value_create

    profile = tree.village_a2.effective_profile()
    key = "monitoring.rule.medical_oop_amount"
    rule = dict(load_profile(profile).resolve(key, timezone.localdate()).raw)
    assert rule["threshold"] < 24000  # the file's threshold: the 24 000 yuan of bills raise a warning
    row = policy_value_create(actor=people.county, profile=profile, key=key, value={**rule, "threshold": 30000},
                              valid_from=timezone.localdate() - dt.timedelta(days=1), source="某民发〔2026〕9号")
    assert AuditEvent.objects.filter(object_type="policy.policyvalue", object_id=str(row.pk), action="create").exists()
    monitoring_run(actor=people.county, region_code=tree.county.code, as_of=timezone.localdate())
    assert Alert.objects.filter(rule_code="medical_oop_amount").exists()  # not confirmed yet: the file's threshold
    Alert.objects.all().delete()
    policy_value_confirm(actor=f.user("root2", is_staff=True, is_superuser=True), row=row)
    monitoring_run(actor=people.county, region_code=tree.county.code, as_of=timezone.localdate())
    assert not Alert.objects.filter(rule_code="medical_oop_amount").exists()
    assert Alert.objects.filter(rule_code="death_still_paid").exists()  # the other rules still run

    fix = policy_value_create(actor=people.county, profile=profile, key=key, value={**rule, "threshold": 24000},
                              valid_from=timezone.localdate() - dt.timedelta(days=1),
                              source="某民发〔2026〕10号（更正）")
    policy_value_confirm(actor=f.user("root3", is_staff=True, is_superuser=True), row=fix)
    monitoring_run(actor=people.county, region_code=tree.county.code, as_of=timezone.localdate())
    medical = Alert.objects.get(rule_code="medical_oop_amount")
    assert medical.household == scene["sick"] and medical.detail == "近12个月合计24,000.00元（预警线24,000.00元）"


def test_an_override_of_a_rule_is_validated_like_the_files(tree):
    from django.core.exceptions import ValidationError

    from doudi.policy.services import policy_value_create

    with pytest.raises(ValidationError):
        policy_value_create(actor=None, profile="national", key="monitoring.rule.medical_oop_amount",
                            value={"kind": "sum", "feed": "medical_settlement", "threshold": "很多"},
                            valid_from=dt.date(2026, 1, 1), source="x")
