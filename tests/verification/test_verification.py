"""No query without authorisation; department files load whole or not at all; discrepancies and accepting them."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden
from doudi.registry import services as registry_services
from doudi.registry.models import Income, Membership
from doudi.registry.selectors import household_snapshot
from doudi.verification import selectors, services
from doudi.verification.loader import DepartmentFileError, department_file_load
from doudi.verification.models import DepartmentBatch, DepartmentRecord, VerificationReport, VerificationRequest
from doudi.verification.sources import Finding, register
from tests import factories as f
from tests.verification.conftest import authorise_all, csv_bytes, load, members, supporter_of

AS_OF = dt.date(2025, 3, 1)


class SpySource:
    """Records whether it was asked anything: proves 'nothing queried'."""

    category = "tax"
    name = "测试税务"

    def __init__(self):
        self.calls = 0

    def query(self, persons, as_of, *, region_code=""):
        self.calls += 1
        return []


def test_no_request_without_every_members_authorisation(home, people):
    spy = register(SpySource())
    first, second = members(home)
    authorise_all(people.owner, home, [first])
    with pytest.raises(services.AuthorisationMissing) as exc:
        services.verification_request(actor=people.owner, household=home, as_of=AS_OF)
    assert second.name in exc.value.message and first.name not in exc.value.message
    assert exc.value.missing == [second]
    assert "尚未签署" in exc.value.message
    assert spy.calls == 0
    assert not VerificationRequest.objects.exists()
    assert not VerificationReport.objects.exists()


def test_run_rechecks_authorisation_revoked_after_request(home, people):
    spy = register(SpySource())
    authorise_all(people.owner, home)
    req = services.verification_request(actor=people.owner, household=home, as_of=AS_OF)
    services.authorisation_revoke(actor=people.owner, authorisation=home.authorisations.first())
    with pytest.raises(services.AuthorisationMissing):
        services.verification_run(actor=people.owner, request=req)
    assert spy.calls == 0
    assert not VerificationReport.objects.exists()


def test_tekun_needs_the_supporters_authorisation(home, people):
    head = members(home)[0]
    daughter = supporter_of(head)
    authorise_all(people.owner, home)
    ok, missing = selectors.authorisations_complete(household=home, as_of=AS_OF, include_supporters=False)
    assert ok and missing == []
    ok, missing = selectors.authorisations_complete(household=home, as_of=AS_OF, include_supporters=True)
    assert not ok and missing == [daughter]

    class Case:
        household = home
        program = "tekun"

    assert selectors.authorisations_complete_for_case(Case(), as_of=AS_OF) == (False, [daughter])
    with pytest.raises(services.AuthorisationMissing) as exc:
        services.verification_request(actor=people.owner, household=home, include_supporters=True, as_of=AS_OF)
    assert daughter.name in exc.value.message
    # The supporter signs (for this household), then 特困 verification may go ahead.
    authorise_all(people.owner, home, [daughter])
    assert selectors.authorisations_complete_for_case(Case(), as_of=AS_OF) == (True, [])
    Case.program = "dibao"
    assert selectors.authorisations_complete_for_case(Case(), as_of=AS_OF)[0]


def test_stranger_cannot_sign_for_the_household(home, people, tree):
    from tests import factories as f

    other = members(f.household(tree.village_a))[0]
    with pytest.raises(services.VerificationError, match="不是该家庭的成员"):
        authorise_all(people.owner, home, [other])


def test_expired_authorisation_does_not_count(home, people):
    for p in members(home):
        services.authorisation_record(
            actor=people.owner,
            household=home,
            person=p,
            method="e_signature",
            signed_at=dt.date(2024, 1, 1),
            valid_until=dt.date(2024, 12, 31),
            signature_ref="x",
        )
    ok, missing = selectors.authorisations_complete(household=home, as_of=AS_OF, include_supporters=False)
    assert not ok and len(missing) == 2


def test_colleague_cannot_authorise_or_request_outside_jurisdiction(home, people):
    with pytest.raises(NotFoundOrForbidden):
        authorise_all(people.colleague, home)
    authorise_all(people.owner, home)
    with pytest.raises(NotFoundOrForbidden):
        services.verification_request(actor=people.colleague, household=home, as_of=AS_OF)


def test_due_is_three_working_days(home, people, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2025, 3, 7))  # a Friday
    authorise_all(people.owner, home)
    req = services.verification_request(actor=people.owner, household=home, as_of=AS_OF)
    assert req.due == dt.date(2025, 3, 12)  # Mon, Tue, Wed


# --- department files --------------------------------------------------------------------------------------------


def test_bad_row_writes_nothing_and_names_the_row(home):
    person = members(home)[0]
    rows = [
        [person.id_number, person.name, "tax", "wage", "3000", "", "", "2024-01-01", "", "某公司"],
        ["110101198001011234", "错号", "tax", "wage", "100", "", "", "2024-01-01", "", ""],
        [person.id_number, person.name, "tax", "wage", "abc", "", "", "2024-13-01", "", ""],
    ]
    with pytest.raises(DepartmentFileError) as exc:
        load("tax", rows)
    assert "未导入任何数据" in exc.value.message
    assert exc.value.errors[0].startswith("第 3 行") and "身份证号码" in exc.value.errors[0]
    assert exc.value.errors[1].startswith("第 4 行")
    assert not DepartmentBatch.objects.exists() and not DepartmentRecord.objects.exists()


def test_category_of_another_department_is_refused(home):
    person = members(home)[0]
    with pytest.raises(DepartmentFileError) as exc:
        load("tax", [[person.id_number, "", "vehicle", "", "", "80000", "1", "2024-01-01", "", ""]])
    assert "不属于税务提供的数据" in exc.value.errors[0]


def test_good_file_loads_once(home):
    person = members(home)[0]
    rows = [[person.id_number, person.name, "纳税记录", "wage", "3000.50", "", "", "2024-01-01", "", "某公司"]]
    first = load("tax", rows)
    assert first.rows == 1 and not first.already_loaded
    rec = DepartmentRecord.objects.get()
    assert rec.monthly_fen == 300_050 and rec.category == "tax"
    again = load("tax", rows)
    assert again.already_loaded and DepartmentRecord.objects.count() == 1


def test_json_and_xlsx_files_load(home):
    import io
    import json

    from openpyxl import Workbook

    person = members(home)[0]
    data = json.dumps(
        {
            "records": [
                {
                    "id_number": person.id_number,
                    "category": "deposit",
                    "value_yuan": 52000.5,
                    "valid_from": "2024-06-30",
                }
            ]
        }
    ).encode()
    department_file_load(actor=None, department="bank", filename="bank.json", data=data)
    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号码", "核对项目", "价值（元）", "数量", "起始日期", "说明"])
    ws.append([person.id_number, "vehicle", 80000, 1, "2023-05-01", "蒙E·12345"])
    buf = io.BytesIO()
    wb.save(buf)
    department_file_load(actor=None, department="public_security", filename="cars.xlsx", data=buf.getvalue())
    assert sorted(DepartmentRecord.objects.values_list("category", "value_fen")) == [
        ("deposit", 5_200_050),
        ("vehicle", 8_000_000),
    ]


# --- reports -----------------------------------------------------------------------------------------------------


def _run(actor, home):
    authorise_all(actor, home)
    req = services.verification_request(actor=actor, household=home, as_of=AS_OF)
    return services.verification_run(actor=actor, request=req)


def test_undeclared_wage_and_death_are_flagged(home, people):
    head, child = members(home)
    load("tax", [[child.id_number, child.name, "tax", "wage", "4200", "", "", "2024-07-01", "", "某物流公司"]])
    load("civil_affairs", [[head.id_number, head.name, "civil_registry", "death", "", "", "", "2025-02-10", "", ""]])
    report = _run(people.owner, home)
    kinds = {(d.person_id, d.kind): d for d in report.discrepancies.all()}
    wage = kinds[(child.pk, "undeclared_income")]
    assert wage.found_fen == 420_000 and "申报中未列明" in wage.description and "4,200.00 元" in wage.description
    death = kinds[(head.pk, "death")]
    assert "2025-02-10 死亡" in death.description
    assert report.request.status == "completed"
    with pytest.raises(IllegalTransition):
        services.verification_run(actor=people.owner, request=report.request)


def test_small_difference_is_tolerated_large_one_flagged(home, people):
    head, child = members(home)
    Income.objects.create(person=head, kind="wage", monthly_fen=200_000, valid_from=dt.date(2024, 1, 1))
    Income.objects.create(person=child, kind="wage", monthly_fen=200_000, valid_from=dt.date(2024, 1, 1))
    load(
        "tax",
        [
            [head.id_number, "", "tax", "wage", "2150", "", "", "2024-01-01", "", ""],  # within 10 %
            [child.id_number, "", "tax", "wage", "3500", "", "", "2024-01-01", "", ""],
        ],
    )
    # Social insurance reports the same wage: not added to the tax figure.
    load("human_resources", [[child.id_number, "", "social_insurance", "wage", "3400", "", "", "2024-01-01", "", ""]])
    report = _run(people.owner, home)
    (d,) = report.discrepancies.all()
    assert d.person == child and d.kind == "income_differs" and d.found_fen == 350_000 and d.declared_fen == 200_000


def test_vehicle_and_real_estate_found(home, people):
    head = members(home)[0]
    load("public_security", [[head.id_number, "", "vehicle", "", "", "90000", "1", "2023-01-01", "", "小型轿车"]])
    load("natural_resources", [[head.id_number, "", "real_estate", "", "", "300000", "2", "2019-01-01", "", "住宅"]])
    report = _run(people.owner, home)
    found = {d.evidence_kind: d for d in report.discrepancies.all()}
    assert set(found) == {"vehicle", "real_estate"}
    assert "机动车辆 1 项" in found["vehicle"].description
    assert found["real_estate"].found_quantity == 2


def test_accepting_a_finding_updates_the_registry(home, people):
    _head, child = members(home)
    declared = registry_services.evidence_add(
        actor=people.owner,
        person=child,
        evidence_type="income",
        valid_from=dt.date(2024, 1, 1),
        kind="wage",
        monthly_fen=100_000,
    )
    load("tax", [[child.id_number, "", "tax", "wage", "4200", "", "", "2024-07-01", "", ""]])
    report = _run(people.owner, home)
    d = report.discrepancies.get()
    with pytest.raises(NotFoundOrForbidden):
        services.discrepancy_accept(actor=people.colleague, discrepancy=d)
    services.discrepancy_accept(actor=people.owner, discrepancy=d, note="已与本人核实")
    declared.refresh_from_db()
    assert declared.valid_to == AS_OF - dt.timedelta(days=1)
    snap = household_snapshot(home, as_of=AS_OF)
    incomes = [(e.source, e.monthly_fen) for e in snap.all_evidence("income")]
    assert incomes == [("verified", 420_000)]
    d.refresh_from_db()
    assert d.status == "accepted" and d.evidence_id
    assert AuditEvent.objects.filter(object_type="verification.discrepancy", object_id=str(d.pk)).exists()
    with pytest.raises(IllegalTransition):
        services.discrepancy_accept(actor=people.owner, discrepancy=d)
    # Running again with the verified value in the registry flags nothing.
    req = services.verification_request(actor=people.owner, household=home, as_of=AS_OF)
    assert not services.verification_run(actor=people.owner, request=req).discrepancies.exists()


def test_accepting_a_death_ends_the_membership(home, people):
    head = members(home)[0]
    load("civil_affairs", [[head.id_number, "", "civil_registry", "death", "", "", "", "2025-02-10", "", ""]])
    d = _run(people.owner, home).discrepancies.get()
    services.discrepancy_accept(actor=people.owner, discrepancy=d)
    assert Membership.objects.get(person=head).valid_to == dt.date(2025, 2, 10)


def test_dismiss_needs_a_reason(home, people):
    head = members(home)[0]
    load("bank", [[head.id_number, "", "deposit", "", "", "60000", "", "2024-01-01", "", ""]])
    d = _run(people.owner, home).discrepancies.get()
    with pytest.raises(services.VerificationError):
        services.discrepancy_dismiss(actor=people.owner, discrepancy=d, note=" ")
    services.discrepancy_dismiss(actor=people.owner, discrepancy=d, note="存款已于2月用于医疗")
    d.refresh_from_db()
    assert d.status == "dismissed"


def test_report_view_needs_full_access_and_is_audited(home, people):
    report = _run(people.owner, home)
    before = AuditEvent.objects.filter(action="view").count()
    assert selectors.report_view(actor=people.owner, pk=report.pk) == report
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    for outsider in (people.colleague, people.outsider):
        with pytest.raises(NotFoundOrForbidden):
            selectors.report_view(actor=outsider, pk=report.pk)


def test_a_pluggable_source_is_used(home, people):
    head = members(home)[0]

    class FakeSecurities:
        category = "securities"
        name = "证券登记结算（测试）"

        def query(self, persons, as_of, *, region_code=""):
            return [
                Finding(
                    id_number=p.id_number,
                    category="securities",
                    kind="",
                    valid_from=dt.date(2024, 1, 1),
                    source=self.name,
                    value_fen=12_000_000,
                )
                for p in persons
                if p.pk == head.pk
            ]

    register(FakeSecurities())
    report = _run(people.owner, home)
    d = report.discrepancies.get()
    assert d.evidence_kind == "securities" and d.source == "证券登记结算（测试）"
    assert any(s["name"] == "证券登记结算（测试）" for s in report.sources)


def test_csv_helper_roundtrip():
    assert csv_bytes([["a"]]).startswith("身份证号码".encode())


def test_a_county_upload_never_flags_another_countys_residents(tree, home, people):
    """Issue 9: one county uploaded "department data" that created discrepancies for another county's residents."""
    _head, child = members(home)
    other_county = f.region("150703000000", "扎赉诺尔区", "county", tree.city)
    uploader = f.user("other-county", (other_county, "civil_affairs"))
    department_file_load(actor=uploader, department="tax", filename="wages.csv", region=other_county,
                         data=csv_bytes([[child.id_number, child.name, "tax", "wage", "4200", "", "", "2024-07-01",
                                          "", "某物流公司"]]))
    report = _run(people.owner, home)
    assert not report.discrepancies.exists() and report.findings == []
    # The same file from the household's own county counts.
    department_file_load(actor=people.county, department="tax", filename="wages-own.csv", region=tree.county,
                         data=csv_bytes([[child.id_number, child.name, "tax", "wage", "4300", "", "", "2024-07-01",
                                          "", "某物流公司"]]))
    req = services.verification_request(actor=people.owner, household=home, as_of=AS_OF)
    report = services.verification_run(actor=people.owner, request=req)
    assert report.discrepancies.filter(person=child, kind="undeclared_income").exists()


def test_a_department_uploads_only_its_own_data(tree, people):
    tax_officer = f.user("tax-officer", (tree.county, "civil_affairs"), department="tax")
    with pytest.raises(DepartmentFileError) as exc:
        department_file_load(actor=tax_officer, department="bank", filename="b.csv", region=tree.county,
                             data=csv_bytes([]))
    assert exc.value.code == "not_own_department" and "本部门" in exc.value.message


def test_the_same_file_from_another_county_is_loaded_for_that_county(tree, home, people):
    """Uploads are bound to the uploading area, so the file another county loaded first is not "already loaded" here:
    it would otherwise never count for this county's households."""
    _head, child = members(home)
    other_county = f.region("150703000000", "扎赉诺尔区", "county", tree.city)
    uploader = f.user("other-county", (other_county, "civil_affairs"))
    data = csv_bytes([[child.id_number, child.name, "tax", "wage", "4200", "", "", "2024-07-01", "", "某物流公司"]])
    department_file_load(actor=uploader, department="tax", filename="wages.csv", region=other_county, data=data)
    own = department_file_load(actor=people.county, department="tax", filename="wages.csv", region=tree.county,
                               data=data)
    assert not own.already_loaded and own.batch.region == tree.county
    again = department_file_load(actor=people.county, department="tax", filename="wages.csv", region=tree.county,
                                 data=data)
    assert again.already_loaded and again.batch == own.batch
    report = _run(people.owner, home)
    assert report.discrepancies.filter(person=child, kind="undeclared_income").exists()
