"""台账导入导出: validation, all-or-nothing writes, idempotent round trip, scope."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.validators import latest_date
from doudi.registry import account_changes
from doudi.registry.io import writer as io_writer
from doudi.registry.io.columns import COLUMNS, HEADERS
from doudi.registry.io.exporter import csv_chunks, registry_export, xlsx_file
from doudi.registry.io.importer import registry_import
from doudi.registry.io.reader import read_upload
from doudi.registry.io.template import template_bytes
from doudi.registry.models import EVIDENCE_MODELS, Disability, Household, Illness, Income, Membership, Person
from tests import factories as f

# Spreadsheets built in memory, and a dump of the whole registry for before/after comparisons.
KEYS = [c.key for c in COLUMNS]


def row(**values) -> list:
    unknown = set(values) - set(KEYS)
    assert not unknown, unknown
    return [values.get(k) for k in KEYS]


def xlsx(rows: list[list], headers: list[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode(encoding)


def run(user, data: bytes, filename: str = "台账.xlsx", ledger: dt.date | None = None, **kw):
    return registry_import(
        actor=user, sheet=read_upload(filename, data), ledger_date=ledger or dt.date.today(), filename=filename, **kw
    )


def dump() -> dict:
    """Every household, person, membership and evidence value, keyed by natural keys (no pks, no timestamps)."""
    skip = {"id", "created_at", "updated_at", "recorded_by", "person"}
    data = {
        "households": sorted(
            Household.objects.values_list(
                "number", "region_id", "address", "area_type", "phone", "bank_name", "bank_account", "account_holder"
            )
        ),
        "persons": sorted(
            Person.objects.values_list("id_number", "name", "sex", "birth_date", "ethnicity", "phone", "date_of_death")
        ),
        "memberships": sorted(
            Membership.objects.values_list(
                "household__number", "person__id_number", "relationship", "lives_together", "valid_from", "valid_to"
            ),
            key=str,
        ),
    }
    for model in EVIDENCE_MODELS:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        data[model._meta.model_name] = sorted(
            (tuple(obj.person.id_number for _ in [0]) + tuple(getattr(obj, f) for f in fields))
            for obj in model.objects.select_related("person")
        )
    return data


def family(village_code: str, head_id: str, spouse_id: str, number: str = "", **head_extra) -> list[list]:
    return [
        row(
            number=number or None,
            region=village_code,
            address="幸福路8号",
            bank_name="农村信用社",
            bank_account="6228480000000001",
            account_holder="张三",
            id_number=head_id,
            name="张三",
            relationship="户主",
            wage="1500.50",
            disability_type="肢体残疾",
            disability_grade="二级",
            work_ability="部分丧失劳动能力",
            **head_extra,
        ),
        row(number=number or None, id_number=spouse_id, name="李四", relationship="配偶", basic_pension=150),
    ]


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


@pytest.fixture
def ids():
    return [f.make_id(dt.date(1970 + i, 1, 2), "M" if i % 2 == 0 else "F") for i in range(6)]


def test_bad_id_negative_income_and_duplicate_person_give_three_row_errors_and_write_nothing(tree, people, ids):
    code = tree.village_a.code
    rows = [
        *family(code, ids[0], ids[1]),
        row(region=code, address="和平街1号", id_number=f.bad_check_digit(ids[2]), name="王五", relationship="户主"),
        row(region=code, address="和平街2号", id_number=ids[3], name="赵六", relationship="户主", wage="-100"),
        row(id_number=ids[1], name="李四", relationship="子女"),
    ]
    before = dump()
    result = run(people.owner, xlsx(rows))
    assert messages(result) == [
        "第4行 身份证号码：身份证号码校验位错误（最后一位），请核对后重新输入",
        "第5行 工资性收入（元/月）：金额不能为负数：-100",
        "第6行 身份证号码：与第3行是同一人，同一人在文件中只能出现一次",
    ]
    assert not result.written
    assert dump() == before
    assert not AuditEvent.objects.exists()


def test_clean_file_imports_households_members_and_evidence(tree, people, ids):
    result = run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1])), ledger=dt.date(2024, 3, 1))
    assert result.ok and result.written
    assert result.counts["households_created"] == 1 and result.counts["persons_created"] == 2
    household = Household.objects.get()
    assert household.number.startswith(tree.village_a.code)
    assert household.area_type == "rural" and household.bank_account == "6228480000000001"
    head = Person.objects.get(id_number=ids[0])
    assert head.birth_date == dt.date(1970, 1, 2) and head.sex == "M"
    assert Membership.objects.get(person=head).relationship == "head"
    wage = Income.objects.get(person=head)
    assert (wage.kind, wage.monthly_fen, wage.valid_from, wage.source) == (
        "wage",
        150050,
        dt.date(2024, 3, 1),
        "imported",
    )
    assert Disability.objects.get(person=head).grade == 2
    assert Income.objects.get(person__id_number=ids[1]).kind == "basic_pension"


def test_export_then_reimport_gives_the_same_registry(tree, people, ids):
    run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1])))
    f.household(tree.village_a2, members=3)
    f.household(tree.village_b, members=2)  # the colleague's: not exported, untouched
    before = dump()
    export = registry_export(actor=people.owner, fmt="xlsx", full=True)
    assert export.count == 2
    data = xlsx_file(export.rows).read()
    result = run(people.owner, data, filename="export.xlsx")
    assert result.ok, messages(result)
    assert not any(result.counts.values()), result.counts
    assert dump() == before

    csv_data = "".join(csv_chunks(registry_export(actor=people.owner, fmt="csv", full=True).rows)).encode("utf-8")
    assert run(people.owner, csv_data, filename="export.csv").ok
    assert dump() == before


def test_changed_income_closes_the_current_fact_and_records_the_new_one(tree, people, ids):
    run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1])), ledger=dt.date(2024, 1, 1))
    number = Household.objects.get().number
    result = run(
        people.owner,
        xlsx([row(number=number, id_number=ids[0], name="张三", relationship="户主", wage="1800")]),
        ledger=dt.date(2024, 7, 1),
    )
    assert result.ok and result.counts["evidence_created"] == 1 and result.counts["evidence_ended"] == 1
    old, new = Income.objects.filter(person__id_number=ids[0]).order_by("valid_from")
    assert (old.monthly_fen, old.valid_to) == (150050, dt.date(2024, 6, 30))
    assert (new.monthly_fen, new.valid_from, new.valid_to) == (180000, dt.date(2024, 7, 1), None)


def test_gbk_csv_from_excel_on_windows_imports(tree, people, ids):
    data = csv_bytes(family(tree.village_a.code, ids[0], ids[1]), encoding="gbk")
    result = run(people.owner, data, filename="台账.csv")
    assert result.ok, messages(result)
    assert Person.objects.get(id_number=ids[0]).name == "张三"


def test_region_outside_the_users_scope_is_a_row_error_and_nothing_is_written(tree, people, ids):
    rows = [
        *family(tree.village_a.code, ids[0], ids[1]),
        row(region=tree.village_b.code, address="乙村1号", id_number=ids[2], name="王五", relationship="户主"),
        row(region="150702009009", address="无此村", id_number=ids[3], name="赵六", relationship="户主"),
        row(region=tree.town_a.code, address="甲镇", id_number=ids[4], name="钱七", relationship="户主"),
    ]
    result = run(people.owner, xlsx(rows))
    assert messages(result) == [
        "第4行 村（社区）区划代码：区划代码不存在或不在您的导入权限范围内",
        "第5行 村（社区）区划代码：区划代码不存在或不在您的导入权限范围内",  # same words: existence not revealed
        "第6行 村（社区）区划代码：请填写村（社区）一级的区划代码",
    ]
    assert not Person.objects.exists() and not Household.objects.exists()


def test_colleagues_household_number_is_not_found(tree, people, ids):
    theirs = f.household(tree.village_b)
    result = run(people.owner, xlsx([row(number=theirs.number, id_number=ids[0], name="张三", relationship="配偶")]))
    assert messages(result) == ["第2行 户编号：户编号不存在或不在您的导入权限范围内（新家庭请留空）"]


def test_member_of_another_household_not_in_the_file_is_refused(tree, people, ids):
    other = f.household(tree.village_a2, members=1)
    person = other.memberships.get().person
    rows = [
        row(
            region=tree.village_a.code,
            address="甲村9号",
            id_number=person.id_number,
            name=person.name,
            relationship="户主",
        )
    ]
    result = run(people.owner, xlsx(rows))
    assert messages(result) == ["第2行 身份证号码：该人员已是其他家庭的当前成员，请先在原家庭办理迁出"]


def test_moving_between_households_in_the_same_file_ends_the_old_membership(tree, people, ids):
    old = f.household(tree.village_a, members=2)
    mover = old.memberships.get(relationship="child").person
    head = old.memberships.get(relationship="head").person
    rows = [
        row(number=old.number, id_number=head.id_number, name=head.name, relationship="户主"),
        row(
            region=tree.village_a.code,
            address="新家1号",
            id_number=mover.id_number,
            name=mover.name,
            relationship="户主",
            member_from="2024-05-01",
        ),
    ]
    result = run(people.owner, xlsx(rows), ledger=dt.date(2024, 6, 1))
    assert result.ok, messages(result)
    ended = Membership.objects.get(household=old, person=mover)
    assert ended.valid_to == dt.date(2024, 4, 30)
    assert Membership.objects.get(person=mover, valid_to=None).valid_from == dt.date(2024, 5, 1)


def test_households_need_exactly_one_head(tree, people, ids):
    existing = f.household(tree.village_a, members=1)
    rows = [
        row(number=existing.number, id_number=ids[0], name="新户主", relationship="户主"),
        row(region=tree.village_a.code, address="甲村2号", id_number=ids[1], name="甲", relationship="户主"),
        row(number=f.household(tree.village_a2, members=0).number, id_number=ids[2], name="乙", relationship="子女"),
    ]
    result = run(people.owner, xlsx(rows))
    assert messages(result) == [
        "第2行 与户主关系：该户有2名户主，每户只能有一名户主",
        "第4行 与户主关系：该户没有户主",
    ]


def test_every_cell_problem_is_reported_with_its_row_and_column(tree, people, ids):
    code = tree.village_a.code
    rows = [
        row(
            region=code,
            address="甲村1号",
            id_number=ids[0],
            name="张三",
            relationship="户主",
            wage="一千",
            business="12.345",
            member_from="2024-13-01",
            disability_type="肢体残疾",
            vehicles="两辆",
        ),
        row(id_number=ids[1], name="", relationship="表亲", school_level="大学"),
        row(
            region=code, address="甲村2号", id_number=ids[2], name="王五", relationship="户主", member_from="1899-12-31"
        ),
    ]
    result = run(people.owner, xlsx(rows))
    assert set(messages(result)) == {
        "第2行 工资性收入（元/月）：金额“一千”不是有效数字",
        "第2行 经营净收入（元/月）：金额“12.345”最多保留两位小数",
        "第2行 成员起始日期：日期“2024-13-01”格式不正确，应为 2020-01-31",
        "第2行 残疾等级：填写残疾类别时必须填写残疾等级",
        "第2行 机动车数量：机动车数量应为不小于0的整数",
        "第3行 姓名：姓名不能为空",
        "第3行 与户主关系：“表亲”不是有效值，可选：户主、配偶、子女、父母、祖父母/外祖父母、孙子女/外孙子女、"
        "兄弟姐妹、儿媳/女婿、其他",
        "第3行 在校学段：“大学”不是有效值，可选：学前教育、义务教育、普通高中、中等职业教育、高职/大专、本科、研究生",
        # since issue 9 the range ends a year from today, not in 2099
        f"第4行 成员起始日期：日期 1899-12-31 超出允许范围（1900-01-01 至 {latest_date().isoformat()}）",
    }
    assert not Household.objects.exists()


def test_existing_person_under_another_name_is_refused(tree, people, ids):
    h = f.household(tree.village_a, members=1)
    person = h.memberships.get().person
    result = run(
        people.owner, xlsx([row(number=h.number, id_number=person.id_number, name="别人", relationship="户主")])
    )
    assert messages(result) == ["第2行 姓名：身份证号码已登记在另一姓名下，请核对姓名"]


def test_a_failure_while_writing_rolls_back_everything(tree, people, ids, monkeypatch):
    calls = []
    real = io_writer.Writer._member

    def flaky(self, household, plan):
        calls.append(plan)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(self, household, plan)

    monkeypatch.setattr(io_writer.Writer, "_member", flaky)
    rows = [*family(tree.village_a.code, ids[0], ids[1]), *family(tree.village_a2.code, ids[2], ids[3])]
    with pytest.raises(RuntimeError):
        run(people.owner, xlsx(rows))
    assert not Household.objects.exists() and not Person.objects.exists() and not AuditEvent.objects.exists()


def test_blank_template_has_the_importers_headers_and_imports_zero_rows(tree, people):
    sheet = read_upload("模板.xlsx", template_bytes())
    assert sheet.header == HEADERS
    result = run(people.owner, template_bytes())
    assert result.ok and result.rows == 0 and not result.written


def test_unknown_or_missing_columns_are_reported(tree, people):
    result = run(people.owner, xlsx([], headers=[*HEADERS[:8], "备注说明"]))
    assert "第1行 备注说明：无法识别的列名，请使用模板中的列名" in messages(result)
    assert "第1行 身份证号码：缺少必需的列" in messages(result)


def test_outsider_and_auditor_cannot_import(tree, people, ids):
    with pytest.raises(NotFoundOrForbidden):
        run(people.outsider, xlsx(family(tree.village_a.code, ids[0], ids[1])))
    with pytest.raises(NotFoundOrForbidden):
        run(people.auditor, xlsx(family(tree.village_a.code, ids[0], ids[1])))
    assert not Household.objects.exists()


def test_export_holds_only_the_users_households_and_audit_never_holds_id_numbers(tree, people, ids):
    run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1])))
    theirs = f.household(tree.village_b, members=1)
    export = registry_export(actor=people.owner, fmt="csv", query=ids[0], full=True)
    text = "".join(csv_chunks(export.rows))
    assert export.count == 1 and ids[0] in text and theirs.number not in text
    assert registry_export(actor=people.colleague, fmt="csv").count == 1
    assert registry_export(actor=people.outsider, fmt="csv").count == 0
    for event in AuditEvent.objects.all():
        blob = f"{event.object_repr} {event.reason} {event.changes}"
        assert ids[0] not in blob and ids[1] not in blob
    event = AuditEvent.objects.get(action="export", actor=people.owner)
    assert event.changes["count"] == 1 and event.changes["q"] != ids[0]


def test_export_of_many_households_streams_in_chunks(tree, people):
    for _ in range(3):
        f.household(tree.village_a, members=2)
    export = registry_export(actor=people.owner, fmt="csv")
    rows = list(export.rows)
    assert export.count == 3 and len(rows) == 6
    assert [r[10] for r in rows[:2]] == ["户主", "子女"]



def test_reading_copy_masks_ids_and_bank_accounts_and_drops_health(tree, people, ids):
    run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1])))
    h = f.household(tree.village_a)
    person = h.memberships.first().person
    Disability.objects.create(person=person, type="mental", grade=2, valid_from=dt.date(2020, 1, 1))
    Illness.objects.create(person=person, diagnosis="尿毒症", serious=True, valid_from=dt.date(2020, 1, 1))
    h.bank_account = "6222020200112233445"
    h.save()
    text = "".join(csv_chunks(registry_export(actor=people.owner, fmt="csv").rows))
    assert ids[0] not in text and ids[1] not in text and person.id_number not in text
    assert person.masked_id_number in text
    assert "6222020200112233445" not in text and "3445" in text
    assert "尿毒症" not in text and "精神残疾" not in text
    event = AuditEvent.objects.filter(action="export").latest("id")
    assert event.changes["full"] is False


def test_a_corrected_bank_account_alone_is_proposed_counted_confirmed_by_another_and_audited_masked(tree, people, ids):
    # Issue 9: re-importing a corrected account number alone said "更新家庭 0 户" and kept the old number; now it is
    # proposed, counted, and takes effect when a second person confirms it.
    assert run(people.owner, xlsx(family(tree.village_a.code, ids[0], ids[1]))).written
    household = Household.objects.get()
    rows = family(tree.village_a.code, ids[0], ids[1], number=household.number)
    rows[0][KEYS.index("bank_account")] = "6228480000000099"
    result = run(people.owner, xlsx(rows))
    assert result.ok and result.counts["accounts_proposed"] == 1
    household.refresh_from_db()
    assert household.bank_account == "6228480000000001"  # not before a second person confirms
    proposal = household.account_changes.get(status="pending")
    assert (proposal.bank_account, proposal.source, proposal.proposed_by) == ("6228480000000099", "import",
                                                                              people.owner)
    # The same file again changes nothing.
    assert run(people.owner, xlsx(rows)).counts.get("accounts_proposed", 0) == 0
    assert household.account_changes.count() == 1
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    account_changes.account_change_confirm(actor=checker, household=household, change_id=proposal.pk)
    household.refresh_from_db()
    assert household.bank_account == "6228480000000099"
    event = AuditEvent.objects.filter(object_type="registry.household", action="update").get()
    assert event.changes["bank_account"] == ["************0001", "************0099"]
    assert "6228480000000099" not in str(event.changes)
    assert run(people.owner, xlsx(rows)).counts.get("accounts_proposed", 0) == 0
