"""Parse one spreadsheet row into typed values, collecting every problem as a Chinese row error."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from doudi.core.ids import InvalidResidentId, echo, parse_resident_id
from doudi.core.money import InvalidAmount, yuan_to_fen
from doudi.core.validators import InvalidInput, normalize_bank_account
from doudi.registry.errors import Code
from doudi.registry.io.columns import COLUMN_BY_KEY, MONEY_EVIDENCE, label_maps
from doudi.registry.services import RegistryError, check_date

HOUSEHOLD_TEXT = {"address": 200, "phone": 20, "bank_name": 100, "bank_account": 40, "account_holder": 50}
PERSON_TEXT = {"ethnicity": 20, "mobile": 20}
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return _("第%(row)d行 %(column)s：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": echo(self.message),
        }


@dataclass
class ParsedRow:
    row: int
    number: str = ""
    region: str = ""
    household: dict[str, str] = field(default_factory=dict)  # non-empty household columns
    id_number: str = ""
    name: str = ""
    relationship: str | None = None
    member_from: dt.date | None = None
    person: dict[str, str] = field(default_factory=dict)
    money: dict[str, int] = field(default_factory=dict)  # column key → fen
    disability: tuple[str, int] | None = None
    illness: tuple[str, bool] | None = None
    work_ability: str | None = None
    employment: str | None = None
    school_level: str | None = None
    vehicles: int | None = None
    raw: dict[str, str] = field(default_factory=dict)
    ok: bool = True

    @property
    def has_person(self) -> bool:
        return bool(self.id_number or self.raw.get("id_number") or self.raw.get("name"))


def parse_date(text: str) -> dt.date:
    text = text.strip().split(" ")[0].split("T")[0]
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        check_date(day, label=_("日期"))
        return day
    raise RegistryError(_("日期“%(value)s”格式不正确，应为 2020-01-31") % {"value": text}, code=Code.BAD_DATE)


class RowParser:
    def __init__(self, index: dict[str, int], errors: list[RowError]):
        self.index = index
        self.errors = errors
        self.labels = label_maps()

    def error(self, row: int, key: str, value: str, message: str) -> None:
        self.errors.append(RowError(row, COLUMN_BY_KEY[key].header, value, message))

    def _label(self, row: ParsedRow, key: str):
        text = row.raw.get(key, "")
        if not text:
            return None
        mapping = self.labels[key]
        if text in mapping:
            return mapping[text]
        allowed = "、".join(str(k) for k in mapping)
        self.error(
            row.row, key, text, _("“%(value)s”不是有效值，可选：%(allowed)s") % {"value": text, "allowed": allowed}
        )
        return None

    def parse(self, number: int, cells: list[str]) -> ParsedRow:
        raw = {key: (cells[i].strip() if i < len(cells) else "") for key, i in self.index.items()}
        row = ParsedRow(row=number, raw=raw, number=raw.get("number", ""), region=raw.get("region", ""))
        before = len(self.errors)
        for key, limit in HOUSEHOLD_TEXT.items():
            text = raw.get(key, "")
            if key == "bank_account" and text:
                try:
                    text = normalize_bank_account(text)
                except InvalidInput as exc:
                    self.error(number, key, text, exc.message)
                    continue
            if len(text) > limit:
                self.error(number, key, text, _("内容过长（最多 %(n)d 个字）") % {"n": limit})
            elif text:
                row.household[key] = text
        area = self._label(row, "area_type")
        if area:
            row.household["area_type"] = area
        if row.region and not re.fullmatch(r"\d{12}", row.region):
            self.error(number, "region", row.region, _("区划代码应为12位数字"))
        if row.has_person:
            self._parse_person(row)
        self._parse_evidence(row)
        row.ok = len(self.errors) == before
        return row

    def _parse_person(self, row: ParsedRow) -> None:
        raw = row.raw
        try:
            row.id_number = parse_resident_id(raw.get("id_number", "")).number
        except InvalidResidentId as exc:
            self.error(row.row, "id_number", raw.get("id_number", ""), exc.message)
        row.name = raw.get("name", "")
        if not row.name:
            self.error(row.row, "name", "", _("姓名不能为空"))
        elif len(row.name) > 50:
            self.error(row.row, "name", row.name, _("内容过长（最多 %(n)d 个字）") % {"n": 50})
        if not raw.get("relationship"):
            self.error(row.row, "relationship", "", _("与户主关系不能为空"))
        row.relationship = self._label(row, "relationship")
        if raw.get("member_from"):
            try:
                row.member_from = parse_date(raw["member_from"])
            except RegistryError as exc:
                self.error(row.row, "member_from", raw["member_from"], exc.message)
        for key, limit in PERSON_TEXT.items():
            text = raw.get(key, "")
            if len(text) > limit:
                self.error(row.row, key, text, _("内容过长（最多 %(n)d 个字）") % {"n": limit})
            elif text:
                row.person[key] = text

    def _parse_evidence(self, row: ParsedRow) -> None:
        raw = row.raw
        evidence_keys = [
            *MONEY_EVIDENCE,
            "disability_type",
            "disability_grade",
            "illness",
            "serious_illness",
            "work_ability",
            "employment",
            "school_level",
            "vehicles",
        ]
        if not row.has_person:
            for key in evidence_keys:
                if raw.get(key):
                    self.error(row.row, key, raw[key], _("未填写身份证号码和姓名的行不能填写个人信息"))
            return
        for key in MONEY_EVIDENCE:
            text = raw.get(key, "")
            if text:
                try:
                    row.money[key] = yuan_to_fen(text)
                except InvalidAmount as exc:
                    self.error(row.row, key, text, exc.message)
        dtype, grade = self._label(row, "disability_type"), self._label(row, "disability_grade")
        if dtype and grade:
            row.disability = (dtype, grade)
        elif raw.get("disability_type") and not raw.get("disability_grade"):
            self.error(row.row, "disability_grade", "", _("填写残疾类别时必须填写残疾等级"))
        elif raw.get("disability_grade") and not raw.get("disability_type"):
            self.error(row.row, "disability_type", "", _("填写残疾等级时必须填写残疾类别"))
        serious = self._label(row, "serious_illness")
        illness = raw.get("illness", "")
        if len(illness) > 100:
            self.error(row.row, "illness", illness, _("内容过长（最多 %(n)d 个字）") % {"n": 100})
        elif illness:
            row.illness = (illness, bool(serious))
        elif serious:
            self.error(row.row, "illness", "", _("标记为重特大疾病时必须填写疾病名称"))
        row.work_ability = self._label(row, "work_ability")
        row.employment = self._label(row, "employment")
        row.school_level = self._label(row, "school_level")
        vehicles = raw.get("vehicles", "")
        if vehicles:
            if re.fullmatch(r"\d{1,4}", vehicles):
                row.vehicles = int(vehicles)
            else:
                self.error(row.row, "vehicles", vehicles, _("机动车数量应为不小于0的整数"))
