"""Medical-insurance settlements coming in: a settlement file (CSV) or the department exchange's push (API). One
loader for both: the same validation, the same Chinese row errors (第N行：…), all rows or none, once per 结算单号 (a
settlement already loaded is skipped, so a second delivery of the same rows changes nothing). Scope: every row's
person must live in the sender's area (``change`` for civil-affairs staff at the window, ``submit_data`` for the
medical-security department pushing through the exchange); a row of another area refuses the whole delivery."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action, Department
from doudi.core.errors import NotFoundOrForbidden, PermissionDenied
from doudi.core.money import InvalidAmount, yuan_to_fen
from doudi.medical.choices import ClaimKind, ClaimSource, Payee
from doudi.medical.errors import Code
from doudi.medical.models import MedicalClaim
from doudi.medical.services import ClaimError, claim_create
from doudi.registry.models import Person

IMPORT_HEADER = ["结算单号", "身份证号", "类别", "结算日期", "医疗机构", "个人自付金额"]
OPTIONAL = ["支付对象"]  # 个人 | 医疗机构 (一站式结算); empty = to the person
# the exchange may name the columns in English (docs/payroll.md)
ALIASES = {"settlement_no": "结算单号", "id_number": "身份证号", "kind": "类别", "settled_on": "结算日期",
           "hospital": "医疗机构", "oop_yuan": "个人自付金额", "payee": "支付对象"}
KIND_LABELS = {str(label): value for value, label in ClaimKind.choices}
PAYEE_LABELS = {"": Payee.PERSON, "个人": Payee.PERSON, "本人": Payee.PERSON, "医疗机构": Payee.INSTITUTION,
                Payee.PERSON.value: Payee.PERSON, Payee.INSTITUTION.value: Payee.INSTITUTION}
MAX_ROWS = 5000
MAX_ERRORS = 50


class ClaimRowsError(ClaimError):
    """A delivery with bad rows: nothing was stored; ``errors`` says which rows and why (in Chinese)."""

    code = "bad_rows"
    http_status = 422

    def __init__(self, message: str, *, errors: list[str]):
        super().__init__(message)
        self.errors = errors


@dataclass(frozen=True)
class Row:
    number: int
    ref: str
    id_number: str
    kind: str
    day: dt.date
    hospital: str
    oop_fen: int
    payee: str


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "" if value is None else str(value).strip()


def parse_row(number: int, row: dict[str, Any]) -> Row:
    """One row (keys as ``IMPORT_HEADER``) or a ``ClaimError`` naming the row."""
    def bad(message: str) -> ClaimError:
        return ClaimError(_("第%(i)s行：%(e)s") % {"i": number, "e": message})

    ref = _text(row, "结算单号")
    if not ref:
        raise bad(_("缺少结算单号"))
    if len(ref) > 60:
        raise bad(_("结算单号过长（最多60个字符）"))
    kind = KIND_LABELS.get(_text(row, "类别"), _text(row, "类别"))
    if kind not in ClaimKind.values:
        raise bad(_("类别“%(k)s”无效") % {"k": _text(row, "类别")})
    try:
        day = dt.date.fromisoformat(_text(row, "结算日期"))
    except ValueError:
        raise bad(_("结算日期须为YYYY-MM-DD")) from None
    try:
        fen = yuan_to_fen(_text(row, "个人自付金额"))
    except InvalidAmount as exc:
        raise bad(exc.message) from None
    payee = PAYEE_LABELS.get(_text(row, "支付对象"))
    if payee is None:
        raise bad(_("支付对象须为“个人”或“医疗机构”"))
    return Row(number, ref, _text(row, "身份证号").upper(), kind, day, _text(row, "医疗机构")[:100], fen, payee)


def _refuse(errors: list[str]):
    raise ClaimRowsError(_("有%(n)s行错误，未导入任何数据：%(first)s") % {"n": len(errors), "first": errors[0]},
                         errors=errors[:MAX_ERRORS])


def claims_load(*, actor, rows: list[tuple[int, dict[str, Any]]], source: str, action: str) -> dict[str, int]:
    """Validate every row, then store the new ones in one transaction; any bad row stores nothing."""
    if not rows:
        raise ClaimError(_("没有数据行"), code=Code.EMPTY)
    if len(rows) > MAX_ROWS:
        raise ClaimError(_("一次最多%(n)s行，请分批报送") % {"n": MAX_ROWS}, code=Code.TOO_MANY_ROWS)
    parsed, errors, seen = [], [], {}
    for number, raw in rows:
        try:
            row = parse_row(number, raw)
        except ClaimError as exc:
            errors.append(exc.message)
            continue
        if row.ref in seen:
            errors.append(_("第%(i)s行：与第%(j)s行结算单号重复") % {"i": number, "j": seen[row.ref]})
            continue
        seen[row.ref] = number
        parsed.append(row)
    if errors:
        _refuse(errors)
    loaded = set(MedicalClaim.objects.filter(external_ref__in=list(seen)).values_list("external_ref", flat=True))
    fresh = [r for r in parsed if r.ref not in loaded]
    people = {p.id_number: p for p in Person.objects.filter(id_number__in={r.id_number for r in fresh})}
    with transaction.atomic():
        for r in fresh:
            try:
                if r.id_number not in people:
                    raise ClaimError(_("登记系统中没有该身份证号的人员"))
                claim_create(actor=actor, person=people[r.id_number], kind=r.kind, claim_date=r.day,
                             oop_fen=r.oop_fen, hospital=r.hospital, source=source, external_ref=r.ref,
                             payee=r.payee, action=action)
            except (NotFoundOrForbidden, ClaimError, IntegrityError) as exc:
                errors.append(_("第%(i)s行：%(e)s") % {"i": r.number, "e": getattr(exc, "message", str(exc))})
        if errors:
            transaction.set_rollback(True)
    if errors:
        _refuse(errors)
    return {"added": len(fresh), "skipped": len(parsed) - len(fresh)}


def claims_import(*, actor, content: bytes, filename: str) -> dict[str, Any]:
    """A settlement file (CSV, UTF-8, header ``IMPORT_HEADER`` [+ 支付对象]) entered at the window."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClaimError(_("文件须为UTF-8编码的CSV")) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    if header not in (IMPORT_HEADER, IMPORT_HEADER + OPTIONAL):
        raise ClaimError(_("表头须为：%(h)s（可另加“支付对象”列）") % {"h": "，".join(IMPORT_HEADER)})
    rows = [(i, {k.strip(): v for k, v in r.items() if k}) for i, r in enumerate(reader, start=2)]
    result = claims_load(actor=actor, rows=rows, source=ClaimSource.IMPORTED, action=Action.CHANGE)
    return {**result, "file": filename}


def claims_push(*, actor, rows: list[dict[str, Any]]) -> dict[str, int]:
    """The medical-insurance department's exchange push (部门数据交换): rows keyed as the file's columns (or their
    English aliases), numbered from 1. Only the medical-security department (or civil affairs) may push."""
    if getattr(actor, "department", "") not in (Department.MEDICAL_SECURITY, Department.CIVIL_AFFAIRS):
        raise PermissionDenied(_("只有医疗保障部门可以推送医疗费用结算"), code=Code.WRONG_DEPARTMENT)
    numbered = [(i, {ALIASES.get(str(k), str(k)): v for k, v in r.items()}) for i, r in enumerate(rows, start=1)]
    return claims_load(actor=actor, rows=numbered, source=ClaimSource.EXCHANGE, action=Action.SUBMIT_DATA)
