"""Load a department file into the data exchange (DepartmentRecord). Format: docs/verification.md.

All or nothing per file: every row is validated first; one bad row means nothing is written and the caseworker gets
the list of bad rows (行号 + reason) in Chinese. The same file (same SHA-256) for the same department loads once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Department
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError
from doudi.core.ids import echo, echo_id, is_valid_resident_id, normalize
from doudi.core.money import InvalidAmount, yuan_to_fen
from doudi.registry.choices import IncomeKind
from doudi.registry.io.reader import UnreadableFile, read_upload
from doudi.registry.io.tabular import map_columns, parse_date
from doudi.verification.choices import (
    DEATH_KIND,
    DEPARTMENT_CATEGORIES,
    INCOME_CATEGORIES,
    DataDepartment,
    SourceCategory,
)
from doudi.verification.errors import Code
from doudi.verification.models import DepartmentBatch, DepartmentRecord

if TYPE_CHECKING:
    from doudi.accounts.models import User

# Column → accepted headers (English key first, then the Chinese header of the template).
COLUMNS: dict[str, tuple[str, ...]] = {
    "id_number": ("id_number", "身份证号码"),
    "name": ("name", "姓名"),
    "category": ("category", "核对项目"),
    "kind": ("kind", "细类"),
    "monthly_yuan": ("monthly_yuan", "月收入（元）", "月收入(元)"),
    "value_yuan": ("value_yuan", "价值（元）", "价值(元)"),
    "quantity": ("quantity", "数量"),
    "valid_from": ("valid_from", "起始日期"),
    "valid_to": ("valid_to", "终止日期"),
    "detail": ("detail", "说明"),
}
REQUIRED = ("id_number", "category", "valid_from")
MAX_ERRORS_SHOWN = 50


class DepartmentFileError(DomainError):
    code = "department_file_invalid"

    def __init__(self, message: str, *, errors: list[str] | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.errors = errors or []


@dataclass
class LoadResult:
    batch: DepartmentBatch | None
    rows: int
    already_loaded: bool = False
    errors: list[str] = field(default_factory=list)


def _category(value: str) -> str | None:
    value = value.strip()
    if value in SourceCategory.values:
        return value
    for choice in SourceCategory:
        if value == str(choice.label):
            return choice.value
    return None


def _read_json(data: bytes) -> list[dict[str, str]]:
    try:
        payload = json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UnreadableFile(_("JSON 文件格式有误，无法读取")) from None
    if isinstance(payload, dict):
        payload = payload.get("records")
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise UnreadableFile(_("JSON 文件应为记录数组，或含 records 数组的对象"))
    return [{str(k): "" if v is None else str(v) for k, v in r.items()} for r in payload]


def _rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, {column key: text}) for CSV, Excel or JSON."""
    if filename.lower().endswith(".json"):
        raw = [(i, r) for i, r in enumerate(_read_json(data), start=1)]
        headers = None  # every key seen in a record
    else:
        sheet = read_upload(filename, data)
        headers = sheet.header
        raw = [(n, dict(zip(sheet.header, cells, strict=False))) for n, cells in sheet.rows]
    return map_columns(raw, COLUMNS, {k: COLUMNS[k][1] for k in REQUIRED}, error=DepartmentFileError,
                       headers=headers)


def _record(department: str, number: int, row: dict[str, str]) -> DepartmentRecord:
    """Validate one row; raise ValueError with a Chinese reason."""
    id_number = normalize(row.get("id_number", ""))
    if not is_valid_resident_id(id_number):
        raise ValueError(_("身份证号码“%(v)s”无效") % {"v": echo_id(row.get("id_number", ""))})
    category = _category(row.get("category", ""))
    if category is None:
        raise ValueError(_("核对项目“%(v)s”无法识别") % {"v": row.get("category", "")})
    if category not in DEPARTMENT_CATEGORIES[department]:
        raise ValueError(
            _("核对项目“%(c)s”不属于%(d)s提供的数据")
            % {"c": SourceCategory(category).label, "d": DataDepartment(department).label}
        )
    kind = row.get("kind", "")
    monthly_fen = value_fen = None
    try:
        if category in INCOME_CATEGORIES:
            kind = kind or IncomeKind.WAGE
            if kind not in IncomeKind.values:
                raise ValueError(_("收入细类“%(v)s”无效（如 wage、business、transfer）") % {"v": kind})
            if not row.get("monthly_yuan"):
                raise ValueError(_("收入类记录必须填写月收入（元）"))
            monthly_fen = yuan_to_fen(row["monthly_yuan"])
        elif category == SourceCategory.CIVIL_REGISTRY:
            kind = kind or DEATH_KIND
            if kind != DEATH_KIND:
                raise ValueError(_("户籍与死亡记录的细类只能是 death（死亡）"))
        elif row.get("value_yuan"):
            value_fen = yuan_to_fen(row["value_yuan"])
    except InvalidAmount as exc:
        raise ValueError(exc.message) from None
    quantity_text = row.get("quantity") or "1"
    if not quantity_text.isdigit() or int(quantity_text) < 1:
        raise ValueError(_("数量“%(v)s”应为正整数") % {"v": quantity_text})
    valid_from = parse_date(row.get("valid_from", ""), _("起始日期"))
    valid_to = parse_date(row["valid_to"], _("终止日期")) if row.get("valid_to") else None
    if valid_to is not None and valid_to < valid_from:
        raise ValueError(_("终止日期早于起始日期"))
    return DepartmentRecord(
        department=department,
        category=category,
        kind=kind,
        id_number=id_number,
        name=row.get("name", "")[:50],
        monthly_fen=monthly_fen,
        value_fen=value_fen,
        quantity=int(quantity_text),
        valid_from=valid_from,
        valid_to=valid_to,
        detail=row.get("detail", "")[:200],
        row_number=number,
        fields={k: v for k, v in row.items() if k != "id_number"},
    )


def department_file_load(*, actor: User, department: str, filename: str, data: bytes, region=None) -> LoadResult:
    """Validate and load a whole department file; raises DepartmentFileError (with ``errors``) and writes nothing
    if any row is bad."""
    if department not in DataDepartment.values:
        raise DepartmentFileError(_("未知的数据提供部门：%(d)s") % {"d": department}, code=Code.BAD_DEPARTMENT)
    own = getattr(actor, "department", "") or ""
    if own and own != Department.CIVIL_AFFAIRS and own != department:
        # Bound to the uploading department: civil affairs loads the exchange's files for every department, any
        # other department only its own data.
        raise DepartmentFileError(_("只能报送本部门的数据"), code=Code.NOT_OWN_DEPARTMENT)
    checksum = hashlib.sha256(data).hexdigest()
    # Bound to the area too: the same file from another county is not "already loaded" for this one.
    same_file = {"department": department, "checksum": checksum, "region": region}
    existing = DepartmentBatch.objects.filter(**same_file).first()
    if existing is not None:
        return LoadResult(batch=existing, rows=existing.row_count, already_loaded=True)
    rows = _rows(filename, data)
    if not rows:
        raise DepartmentFileError(_("文件中没有数据行"), code=Code.EMPTY_FILE)
    records: list[DepartmentRecord] = []
    errors: list[str] = []
    for number, row in rows:
        try:
            records.append(_record(department, number, row))
        except ValueError as exc:
            errors.append(_("第 %(n)d 行：%(msg)s") % {"n": number, "msg": echo(exc)})
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        raise DepartmentFileError(
            _("文件有 %(n)d 行错误，未导入任何数据。") % {"n": len(errors)}, errors=shown, code=Code.BAD_ROWS
        )
    try:
        with transaction.atomic():
            batch = DepartmentBatch.objects.create(
                department=department,
                filename=filename[:200],
                checksum=checksum,
                row_count=len(records),
                region=region,
                loaded_by=actor if getattr(actor, "pk", None) else None,
            )
            for record in records:
                record.batch = batch
            DepartmentRecord.objects.bulk_create(records, batch_size=1000)
            audit_record(
                actor=actor,
                action=AuditAction.IMPORT,
                obj=batch,
                region_code=region.code if region is not None else "",
                changes={"department": department, "rows": len(records), "checksum": checksum},
            )
    except IntegrityError:  # the same file loaded concurrently
        batch = DepartmentBatch.objects.get(**same_file)
        return LoadResult(batch=batch, rows=batch.row_count, already_loaded=True)
    return LoadResult(batch=batch, rows=len(records))
