"""The registry → engine → stored evaluation path, on the worked examples of shared/domain/examples.md."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.eligibility import selectors, services
from doudi.eligibility.adapter import household_input
from doudi.eligibility.models import Evaluation
from doudi.registry import services as registry
from doudi.registry.selectors import household_snapshot
from tests import factories as f

AS_OF = dt.date(2026, 11, 1)
START = dt.date(2025, 1, 1)


def _member(actor, household, relationship, birth, sex="M", name="成员"):
    return registry.member_add(
        actor=actor, household=household, id_number=f.make_id(birth, sex), name=name, relationship=relationship,
        valid_from=START,
    ).person


def _income(actor, person, yuan, kind="wage"):
    registry.evidence_add(actor=actor, person=person, evidence_type="income", kind=kind, monthly_fen=yuan * 100,
                          valid_from=START)
    if kind in ("wage", "business"):
        registry.evidence_add(actor=actor, person=person, evidence_type="employment", status="employed",
                              valid_from=START)


@pytest.fixture
def example_one(tree, people, settings):
    """Example 1: urban, four people, wages 1 600 and 1 200, a grandmother and a child."""
    tree.city.profile = "hulunbuir"
    tree.city.save()
    h = registry.household_create(actor=people.owner, region=tree.village_a2, address="甲社区1号")
    father = _member(people.owner, h, "head", dt.date(1985, 3, 1))
    mother = _member(people.owner, h, "spouse", dt.date(1987, 4, 2), "F")
    _member(people.owner, h, "parent", dt.date(1950, 5, 3), "F")
    _member(people.owner, h, "child", dt.date(2015, 6, 4))
    _income(people.owner, father, 1600)
    _income(people.owner, mother, 1200)
    return h


def test_adapter_builds_engine_input_from_the_registry(example_one):
    data = household_input(household_snapshot(example_one, as_of=AS_OF))
    assert data["area"] == "urban" and len(data["members"]) == 4
    wages = sorted(m.get("income", {}).get("wage", 0) for m in data["members"])
    assert wages == [0, 0, 120_000, 160_000]
    assert sum(m["employed"] for m in data["members"]) == 2


def test_evaluation_is_stored_with_inputs_params_and_chinese_explanation(example_one, people):
    evaluation = services.evaluation_run(actor=people.owner, household=example_one, as_of=AS_OF)
    dibao = selectors.program_outcome(evaluation, program="dibao")
    assert evaluation.result["counted_members"] == 4
    assert evaluation.inputs["members"] and evaluation.params
    assert any("低保" in line for line in evaluation.explanation)
    assert AuditEvent.objects.filter(action="evaluate", object_id=str(evaluation.pk)).exists()
    # Whatever the (illustrative) standard, the amount is the gap times four members, rounded half up.
    std = evaluation.result["standard_fen"]
    countable = evaluation.result["countable_income_fen"]
    if dibao.eligible:
        assert dibao.monthly_fen == (std * 4 - countable + 50) // 100 * 100
    else:
        assert countable >= std * 4


def test_evaluation_is_reproducible_from_what_was_stored(example_one, people):
    evaluation = services.evaluation_run(actor=people.owner, household=example_one, as_of=AS_OF)
    replay = services.evaluation_replay(Evaluation.objects.get(pk=evaluation.pk))
    assert replay["same"] is True


def test_evaluating_someone_elses_household_is_refused(example_one, people):
    with pytest.raises(NotFoundOrForbidden):
        services.evaluation_run(actor=people.colleague, household=example_one, as_of=AS_OF)


def test_a_date_before_anyone_lived_there_is_a_clear_error(example_one, people):
    with pytest.raises(services.EvaluationError, match="没有登记成员"):
        services.evaluation_run(actor=people.owner, household=example_one, as_of=dt.date(2000, 1, 1))


def test_panel_runs_and_shows_the_explanation(example_one, people, client):
    client.force_login(people.owner)
    url = f"/eligibility/households/{example_one.pk}/"
    assert "尚未测算" in client.get(url).content.decode()
    page = client.post(url, {"as_of": "2026-11-01"}).content.decode()
    assert "测算依据" in page and "最低生活保障" in page
    assert "示意值" in page  # illustrative standards are never presented as official
    client.force_login(people.colleague)
    assert client.get(url).status_code == 404
    assert client.post(url, {"as_of": "2026-11-01"}).status_code == 404


def test_panel_rejects_a_malformed_date_in_chinese(example_one, people, client):
    client.force_login(people.owner)
    page = client.post(f"/eligibility/households/{example_one.pk}/", {"as_of": "2026-13-45"}).content.decode()
    assert "格式不正确" in page


def test_replay_reports_a_standard_entered_after_the_evaluation(example_one, people):
    from doudi.policy.services import policy_value_confirm, policy_value_create
    from tests import factories as f

    evaluation = services.evaluation_run(actor=people.owner, household=example_one, as_of=AS_OF)
    row = policy_value_create(
        actor=people.owner, profile="hulunbuir", key="dibao.standard.urban", value=1000, valid_from=dt.date(2026, 1, 1),
        source="测试文号〔2026〕1号",
    )
    assert services.evaluation_replay(Evaluation.objects.get(pk=evaluation.pk))["same"] is True  # not in force yet
    policy_value_confirm(actor=f.user("root", is_staff=True, is_superuser=True), row=row)
    replay = services.evaluation_replay(Evaluation.objects.get(pk=evaluation.pk))
    assert replay["same"] is False
    assert replay["policy_version_now"] != replay["policy_version_then"]
    assert "standard_fen" in replay["differences"]
    # The stored evaluation itself is untouched: an appeal board still sees what was decided then.
    assert Evaluation.objects.get(pk=evaluation.pk).result == evaluation.result


@pytest.mark.parametrize(("as_of", "message"), [
    ("", "格式不正确"), ("abc", "格式不正确"), ("9" * 30, "格式不正确"), ("0001-01-01", "超出允许范围"),
    ("2999-12-31", "超出允许范围"),
])
def test_panel_refuses_a_missing_or_absurd_date_and_records_nothing(example_one, people, client, as_of, message):
    from doudi.eligibility.models import Evaluation

    client.force_login(people.owner)
    response = client.post(f"/eligibility/households/{example_one.pk}/", {"as_of": as_of})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Evaluation.objects.exists()
