"""Import a registry spreadsheet (台账导入): validate every row, then write everything or nothing.

All-or-nothing: validation only reads; it runs inside the same ``transaction.atomic`` block as the writes, and the
writes start only when no row has an error. Anything raised while writing (including the final scope re-check)
rolls the whole import back, so a file is never half imported.

Matching, so that re-importing an export of the same registry changes nothing:
- households by 户编号 (empty = a new household, the 户主 row first and its members right after it);
- persons by 身份证号码; a person listed under a household keeps their membership if they already belong to it;
  moving from another household in the same file ends the old membership the day before the new one starts;
  members not listed are left alone (people leave a household through the registry screens, not by omission);
- evidence: a cell that equals the current fact (as of the 台账日期) is left alone, a different value closes the
  current fact the day before the 台账日期 and records the new one from it (source 台账导入); an empty cell changes
  nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.choices import AssetKind, Relationship
from doudi.registry.io.columns import COLUMN_BY_KEY, HEADER_TO_KEY, MONEY_EVIDENCE, normalize_header
from doudi.registry.io.parse import HOUSEHOLD_TEXT, ParsedRow, RowError, RowParser
from doudi.registry.io.plan import ONE_DAY, PERSON_FIELD, Group, MemberPlan
from doudi.registry.io.reader import SheetRows
from doudi.registry.io.writer import Writer, chunks
from doudi.registry.models import (
    Asset,
    Disability,
    Employment,
    Evidence,
    Expense,
    Household,
    Illness,
    Income,
    Membership,
    Person,
    Schooling,
    WorkAbility,
)
from doudi.registry.services import check_date

if TYPE_CHECKING:
    from doudi.accounts.models import User

REQUIRED = ("number", "region", "address", "id_number", "name", "relationship")
HOUSEHOLD_KEYS = (*HOUSEHOLD_TEXT, "area_type")
EVIDENCE_MODELS = {"income": Income, "expense": Expense, "asset": Asset}
PREFETCHED = (Income, Expense, Asset, Disability, Illness, WorkAbility, Employment, Schooling)


@dataclass
class ImportResult:
    rows: int
    errors: list[RowError]
    counts: Counter = field(default_factory=Counter)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def registry_import(
    *, actor: User, sheet: SheetRows, ledger_date: dt.date, filename: str = "", dry_run: bool = False
) -> ImportResult:
    """Import ``sheet`` as of ``ledger_date`` (台账日期). Needs the ``import`` action in every region it touches."""
    if not region_prefixes(actor, Action.IMPORT):
        raise NotFoundOrForbidden(_("您没有导入台账的权限"))
    check_date(ledger_date, label=_("台账日期"))
    with transaction.atomic():
        validator = _Validator(actor, ledger_date)
        groups = validator.run(sheet)
        result = ImportResult(rows=len(sheet.rows), errors=sorted(validator.errors, key=lambda e: e.row))
        if result.errors or dry_run or not groups:
            return result
        touched = Writer(actor, ledger_date, result.counts).run(groups)
        # Re-check, inside the transaction, that everything written is still in the actor's scope (NetBox style).
        if Household.objects.restrict(actor, Action.IMPORT).filter(pk__in=touched).count() != len(touched):
            raise NotFoundOrForbidden(_("导入的家庭不在您的辖区内"))
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="registry.household",
            object_repr=_("台账导入 %(name)s") % {"name": filename[:100]},
            region_code=groups[0].region.code if groups[0].region else "",
            changes={"rows": result.rows, "ledger_date": ledger_date.isoformat(), **result.counts},
        )
        result.written = True
    return result


class _Validator:
    def __init__(self, actor: User, ledger_date: dt.date):
        self.actor = actor
        self.ledger = ledger_date
        self.errors: list[RowError] = []

    def error(self, row: int, key: str, value: str, message: str) -> None:
        self.errors.append(RowError(row, COLUMN_BY_KEY[key].header, value, message))

    def run(self, sheet: SheetRows) -> list[Group]:
        index = self._header(sheet.header)
        if self.errors:
            return []
        parser = RowParser(index, self.errors)
        rows = [parser.parse(number, cells) for number, cells in sheet.rows]
        groups = self._group(rows)
        self._households(groups)
        self._persons(groups)
        return groups

    def _header(self, header: list[str]) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, text in enumerate(header):
            name = normalize_header(text)
            if not name:
                continue
            key = HEADER_TO_KEY.get(name)
            if key is None:
                self.errors.append(RowError(1, text, "", _("无法识别的列名，请使用模板中的列名")))
            elif key in index:
                self.errors.append(RowError(1, text, "", _("列名重复")))
            else:
                index[key] = i
        for key in REQUIRED:
            if key not in index:
                self.errors.append(RowError(1, COLUMN_BY_KEY[key].header, "", _("缺少必需的列")))
        return index

    def _group(self, rows: list[ParsedRow]) -> list[Group]:
        groups: list[Group] = []
        by_number: dict[str, Group] = {}
        open_new: Group | None = None
        for row in rows:
            if row.number:
                group = by_number.get(row.number)
                if group is None:
                    group = by_number[row.number] = Group(number=row.number, rows=[])
                    groups.append(group)
                open_new = None
            elif row.relationship == Relationship.HEAD:
                group = open_new = Group(number="", rows=[])
                groups.append(group)
            elif open_new is not None:
                group = open_new
            else:
                if row.ok:
                    self.error(row.row, "number", "", _("新家庭的第一行应为户主；已有家庭请填写户编号"))
                continue
            group.rows.append(row)
        return groups

    def _households(self, groups: list[Group]) -> None:
        numbers = [g.number for g in groups if g.number]
        existing: dict[str, Household] = {}
        for chunk in chunks(numbers):
            for h in Household.objects.restrict(self.actor, Action.IMPORT).filter(number__in=chunk):
                existing[h.number] = h
        codes = {r.region for g in groups for r in g.rows if r.region}
        regions = {r.code: r for chunk in chunks(codes) for r in Region.objects.filter(code__in=chunk)}
        prefixes = region_prefixes(self.actor, Action.IMPORT)
        for group in groups:
            first = group.rows[0]
            seen: dict[str, tuple[str, int]] = {}
            for row in group.rows:
                values = {**row.household, **({"region": row.region} if row.region else {})}
                for key, value in values.items():
                    if key in seen and seen[key][0] != value:
                        self.error(row.row, key, value, _("与同一户第%(row)d行填写的不一致") % {"row": seen[key][1]})
                    seen.setdefault(key, (value, row.row))
            group.fields = {k: v for k, (v, _row) in seen.items() if k != "region"}
            if group.number:
                group.household = existing.get(group.number)
                if group.household is None:
                    self.error(
                        first.row, "number", group.number, _("户编号不存在或不在您的导入权限范围内（新家庭请留空）")
                    )
                    continue
            if "region" in seen:
                code, row_number = seen["region"]
                region = regions.get(code)
                # Same answer for "no such region" and "not yours": scope is never revealed.
                if region is None or not any(code.startswith(p) for p in prefixes):
                    self.error(row_number, "region", code, _("区划代码不存在或不在您的导入权限范围内"))
                elif region.level != Level.VILLAGE:
                    self.error(row_number, "region", code, _("请填写村（社区）一级的区划代码"))
                else:
                    group.region = region
            elif group.household is not None:
                group.region = group.household.region
            else:
                self.error(first.row, "region", "", _("新家庭必须填写村（社区）区划代码"))
            if group.household is None and "address" not in group.fields:
                self.error(first.row, "address", "", _("新家庭必须填写住址"))

    def _persons(self, groups: list[Group]) -> None:
        first_row: dict[str, int] = {}
        listed: dict[str, Group] = {}
        for group in groups:
            for row in group.rows:
                if not row.id_number:
                    continue
                if row.id_number in first_row:
                    self.error(
                        row.row,
                        "id_number",
                        row.raw.get("id_number", ""),
                        _("与第%(row)d行是同一人，同一人在文件中只能出现一次") % {"row": first_row[row.id_number]},
                    )
                    row.ok = False
                else:
                    first_row[row.id_number] = row.row
                    listed[row.id_number] = group
        persons = {p.id_number: p for c in chunks(first_row) for p in Person.objects.filter(id_number__in=c)}
        person_ids = [p.pk for p in persons.values()]
        memberships: dict[int, list[Membership]] = defaultdict(list)
        for chunk in chunks(person_ids):
            for m in Membership.objects.filter(person_id__in=chunk):
                memberships[m.person_id].append(m)
        household_ids = {g.household.pk for g in groups if g.household}
        current_members: dict[int, dict[str, str]] = defaultdict(dict)
        for chunk in chunks(household_ids):
            for m in Membership.objects.filter(household_id__in=chunk).as_of(self.ledger).select_related("person"):
                current_members[m.household_id][m.person.id_number] = m.relationship
        self.evidence: dict[tuple[type, int], list[Evidence]] = defaultdict(list)
        for model in PREFETCHED:
            for chunk in chunks(person_ids):
                for e in model.objects.filter(person_id__in=chunk).as_of(self.ledger):
                    self.evidence[(model, e.person_id)].append(e)

        for group in groups:
            for row in group.rows:
                if row.id_number and row.ok:
                    plan = self._member(group, row, persons.get(row.id_number), memberships, household_ids)
                    if plan is not None:
                        group.members.append(plan)
            if group.household is not None or group.region is not None:
                self._heads(group, current_members, listed)

    def _member(self, group, row, person, memberships, household_ids) -> MemberPlan | None:
        if person is not None and person.name != row.name:
            self.error(row.row, "name", row.name, _("身份证号码已登记在另一姓名下，请核对姓名"))
            return None
        plan = MemberPlan(row=row, person=person)
        start = row.member_from or self.ledger
        if person is None:
            plan.start = start
        else:
            plan.person_changes = {k: v for k, v in row.person.items() if getattr(person, PERSON_FIELD[k]) != v}
            mine = memberships.get(person.pk, [])
            current = next((m for m in mine if m.valid_from <= self.ledger and _open_on(m, self.ledger)), None)
            if current is not None and group.household is not None and current.household_id == group.household.pk:
                if row.relationship != current.relationship:
                    if current.valid_from >= self.ledger:
                        plan.fix_relationship = current
                    else:
                        plan.end, plan.start = current, self.ledger
                plan_current = True
            else:
                plan_current = False
            if not plan_current:
                if current is not None and current.household_id not in household_ids:
                    self.error(
                        row.row,
                        "id_number",
                        row.raw.get("id_number", ""),
                        _("该人员已是其他家庭的当前成员，请先在原家庭办理迁出"),
                    )
                    return None
                if current is not None and start - ONE_DAY < current.valid_from:
                    self.error(
                        row.row,
                        "member_from",
                        row.raw.get("member_from", ""),
                        _("成员起始日期早于该人员在原家庭的起始日期"),
                    )
                    return None
                if any(m is not current and _open_on(m, start) for m in mine):
                    self.error(
                        row.row,
                        "member_from",
                        row.raw.get("member_from", ""),
                        _("成员起始日期与该人员已有的成员记录重叠"),
                    )
                    return None
                plan.end, plan.start = current, start
        self._evidence(row, plan, person.pk if person else None)
        return plan

    def _heads(self, group: Group, current_members, listed) -> None:
        if not all(r.ok for r in group.rows):
            return  # an unreadable relationship already has its own error
        members = dict(current_members.get(group.household.pk, {})) if group.household else {}
        members = {k: v for k, v in members.items() if listed.get(k, group) is group}
        for row in group.rows:
            if row.id_number:
                members[row.id_number] = row.relationship
        heads = sum(1 for v in members.values() if v == Relationship.HEAD)
        if members and heads != 1:
            row = next((r for r in group.rows if r.has_person), group.rows[0])
            message = _("该户没有户主") if heads == 0 else _("该户有%(n)d名户主，每户只能有一名户主") % {"n": heads}
            self.error(row.row, "relationship", row.raw.get("relationship", ""), message)

    def _evidence(self, row: ParsedRow, plan: MemberPlan, person_id: int | None) -> None:
        def current(model, **match):
            rows = self.evidence.get((model, person_id), []) if person_id else []
            return [e for e in rows if all(getattr(e, k) == v for k, v in match.items())]

        def replace(key: str, model, rows: list[Evidence], fields: dict) -> None:
            late = [e for e in rows if e.valid_from >= self.ledger]
            if late:
                self.error(
                    row.row,
                    key,
                    row.raw.get(key, ""),
                    _("已有自 %(day)s 起的记录，台账日期须晚于该日期") % {"day": late[0].valid_from.isoformat()},
                )
                return
            plan.evidence_end.extend(rows)
            plan.evidence_new.append((model, fields))

        for key, fen in row.money.items():
            model_name, kind = MONEY_EVIDENCE[key]
            model = EVIDENCE_MODELS[model_name]
            attr = "value_fen" if model is Asset else "monthly_fen"
            rows = current(model, kind=kind)
            if not (rows and sum(getattr(e, attr) for e in rows) == fen):
                replace(key, model, rows, {"kind": kind, attr: fen})
        if row.vehicles is not None:
            rows = current(Asset, kind=AssetKind.VEHICLE)
            if not (rows and sum(e.quantity for e in rows) == row.vehicles):
                replace("vehicles", Asset, rows, {"kind": AssetKind.VEHICLE, "quantity": row.vehicles, "value_fen": 0})
        if row.disability is not None:
            rows = current(Disability)
            if not any((e.type, e.grade) == row.disability for e in rows):
                replace("disability_type", Disability, rows, {"type": row.disability[0], "grade": row.disability[1]})
        if row.illness is not None:
            diagnosis, serious = row.illness
            rows = current(Illness, diagnosis=diagnosis)
            if not any(e.serious == serious for e in rows):
                replace("illness", Illness, rows, {"diagnosis": diagnosis, "serious": serious})
        for key, model, attr in (
            ("work_ability", WorkAbility, "level"),
            ("employment", Employment, "status"),
            ("school_level", Schooling, "level"),
        ):
            value = getattr(row, key)
            if value is not None:
                rows = current(model)
                if not any(getattr(e, attr) == value for e in rows):
                    replace(key, model, rows, {attr: value})


def _open_on(m: Membership, day: dt.date) -> bool:
    return m.valid_to is None or m.valid_to >= day
