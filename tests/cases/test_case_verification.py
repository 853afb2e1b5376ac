"""The case's 核对 step (issue 9): entering 核对中 files the verification request, the case page shows the report and
its discrepancies, and the step is completed from the report once every discrepancy is accepted or dismissed."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.choices import Program
from doudi.cases import services
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.services import verification as case_verification
from doudi.core.errors import DomainError
from doudi.registry.models import Income
from doudi.verification import services as verification
from doudi.verification.models import VerificationRequest
from doudi.verification.sources import reset_sources
from tests.cases.conftest import apply, head
from tests.verification.conftest import authorise_all, load, members


@pytest.fixture(autouse=True)
def _exchange_sources():
    reset_sources()
    yield
    reset_sources()


def _verifying(actor, household, programs=(Program.DIBAO,)):
    app = apply(actor, household, programs)
    cases = list(app.cases.order_by("id"))
    for case in cases:
        services.case_transition(actor=actor, case=case, to_state=State.ACCEPTED)
        services.case_transition(actor=actor, case=case, to_state=State.VERIFYING)
    return app, cases


def test_entering_verification_files_one_request_per_application(hh, people):
    authorise_all(people.owner, hh)
    app, cases = _verifying(people.owner, hh, (Program.DIBAO, Program.TEKUN))
    req = VerificationRequest.objects.get()  # the 特困 case reuses the request the 低保 case filed
    assert (req.application_id, req.household_id, req.status) == (app.pk, hh.pk, "requested")
    assert req.include_supporters  # 特困 needs the supporters too (S2 Art 10)
    for c in cases:
        c.refresh_from_db()
    assert len(cases) == 2 and all(c.verification_requested_on for c in cases)


def test_no_authorisation_no_request_and_no_step(hh, people):
    app = apply(people.owner, hh)
    case = app.cases.get()
    services.case_transition(actor=people.owner, case=case, to_state=State.ACCEPTED)
    with pytest.raises(DomainError, match="授权"):
        services.case_transition(actor=people.owner, case=case, to_state=State.VERIFYING)
    assert not VerificationRequest.objects.exists()


def test_report_findings_are_resolved_then_the_step_completes_from_the_report(client, hh, people):
    authorise_all(people.owner, hh)
    _app, (case,) = _verifying(people.owner, hh)
    child = members(hh)[1]
    Income.objects.create(person=child, kind="wage", monthly_fen=100_000, valid_from=dt.date(2024, 1, 1))
    load("tax", [[child.id_number, "", "tax", "wage", "3500", "", "", "2024-01-01", "", ""]])
    client.force_login(people.owner)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="case-verification"' in page and "执行核对" in page
    req = VerificationRequest.objects.get()
    r = client.post(f"/verification/requests/{req.pk}/run/", {"next": f"/cases/{case.pk}/#verification"})
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/#verification"
    found = case_verification.case_verification(actor=people.owner, case=case)
    (d,) = found.discrepancies
    assert found.open_count == 1
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert d.description in page and "采信并更新台账" in page
    with pytest.raises(CaseError, match="未核实"):
        case_verification.verification_from_report(actor=people.owner, case=case)
    verification.discrepancy_dismiss(actor=people.owner, discrepancy=d, note="已离职，提供离职证明")
    r = client.post(f"/cases/{case.pk}/verification/from-report/")
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.verification_completed_on is not None
    assert case.verification_summary == "核对报告：差异 1 处，采信 0 处，不予采信 1 处"
    assert head(hh) is not None
