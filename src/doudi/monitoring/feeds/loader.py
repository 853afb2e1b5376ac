"""Load a department feed (file or exchange push) into ``FeedBatch``/``FeedRow``. Schemas: ``feeds.schemas``.

Like the verification loader (``verification.loader``) and reading spreadsheets with the registry's reader: every
row is validated first; one bad row means nothing is written and the uploader gets each bad row's number and the
reason in Chinese. The same file for the same feed and area loads once (SHA-256); a row already delivered in an
earlier file (same natural key) is skipped, so overlapping monthly files never double an event.

Persons are matched at load time, by resident ID, only within the uploader's area: a row about someone living
elsewhere is kept (nothing is lost) but marked out of area and never reaches the matching job.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action, Department
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, PermissionDenied
from doudi.core.ids import echo, echo_id, is_valid_resident_id, normalize
from doudi.core.money import InvalidAmount, yuan_to_fen
from doudi.monitoring.choices import FeedFormat
from doudi.monitoring.errors import Code
from doudi.monitoring.feeds.schemas import FEEDS, Feed
from doudi.monitoring.models import FeedBatch, FeedRow
from doudi.monitoring.models.feeds import RowMatch
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.io.reader import UnreadableFile, cell_text, read_upload
from doudi.registry.io.tabular import map_columns, parse_date
from doudi.registry.models import Membership, Person
from doudi.rules.monitoring import hash_key, month_index

if TYPE_CHECKING:
    from doudi.accounts.models import User

MAX_ERRORS_SHOWN = 50
TRUE = {"是", "1", "true", "y", "yes"}
FALSE = {"否", "0", "false", "n", "no", ""}


class FeedFileError(DomainError):
    code = "feed_invalid"
    http_status = 422

    def __init__(self, message: str, *, errors: list[str] | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.errors = errors or []


@dataclass
class FeedLoadResult:
    batch: FeedBatch
    rows: int
    already_loaded: bool = False
    skipped: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------ reading
def _read_parquet(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    import polars as pl

    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UnreadableFile(_("无法读取该 Parquet 文件")) from exc
    header = [str(c) for c in frame.columns]
    return header, [(i, [cell_text(v) for v in row]) for i, row in enumerate(frame.iter_rows(), start=1)]


def read_feed_file(filename: str, data: bytes) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """(format, [(row number, {header: text})]) for CSV, Excel or Parquet."""
    name = (filename or "").lower()
    if name.endswith(".parquet") or data[:4] == b"PAR1":
        fmt, (header, rows) = FeedFormat.PARQUET, _read_parquet(data)
    else:
        sheet = read_upload(filename, data)
        fmt = FeedFormat.CSV if name.endswith(".csv") else FeedFormat.XLSX
        header, rows = sheet.header, sheet.rows
    return fmt, [(n, dict(zip(header, cells, strict=False))) for n, cells in rows]


def _map_columns(feed: Feed, rows: list[tuple[int, dict[str, str]]]) -> list[tuple[int, dict[str, str]]]:
    return map_columns(rows, {c.key: (c.key, c.header) for c in feed.columns},
                       {c.key: c.header for c in feed.columns if c.required}, error=FeedFileError)


# ------------------------------------------------------------------------------------------------ one row
def _value(feed: Feed, key: str, text: str, villages: dict[str, Region]) -> Any:
    col = feed.column(key)
    label = col.header
    if not text:
        if col.required:
            raise ValueError(_("“%(c)s”不能为空") % {"c": label})
        return None
    if col.kind == "id":
        number = normalize(text)
        if not is_valid_resident_id(number):
            raise ValueError(_("身份证号码“%(v)s”无效") % {"v": echo_id(text)})
        return number
    if col.kind == "date":
        return parse_date(text, label, timestamp=True)
    if col.kind == "yuan":
        try:
            return yuan_to_fen(text)
        except InvalidAmount as exc:
            raise ValueError(_("%(c)s：%(m)s") % {"c": label, "m": exc.message}) from None
    if col.kind == "int":
        if not text.isdigit():
            raise ValueError(_("%(c)s“%(v)s”应为整数") % {"c": label, "v": text})
        return int(text)
    if col.kind == "bool":
        low = text.lower()
        if low not in TRUE | FALSE:
            raise ValueError(_("%(c)s“%(v)s”应为“是”或“否”") % {"c": label, "v": text})
        return low in TRUE
    if col.kind == "choice":
        code = col.choices.get(text, text)
        if code not in col.choices.values():
            raise ValueError(_("%(c)s“%(v)s”无法识别（可填：%(o)s）") % {"c": label, "v": text,
                                                                "o": "、".join(col.choices)})
        return code
    if col.kind == "village":
        if text not in villages:
            raise ValueError(_("%(c)s“%(v)s”不是本辖区内的村（社区）") % {"c": label, "v": text})
        return text
    return text[:200]


def _parse_row(feed: Feed, row: dict[str, str], villages: dict[str, Region], period: dt.date) -> dict[str, Any]:
    values = {c.key: _value(feed, c.key, row.get(c.key, ""), villages) for c in feed.columns}
    if feed.area_rows and not (values.get("id_number") or values.get("village_code")):
        raise ValueError(_("须填写身份证号码或村（社区）区划代码"))
    if feed.code == "medical_settlement" and values["oop_yuan"] > values["total_yuan"]:
        raise ValueError(_("个人自付不能大于医疗总费用"))
    if feed.code == "employment" and values["record_type"] in ("pension", "wage") and values["monthly_yuan"] is None:
        raise ValueError(_("养老金、工资记录须填写月金额（元）"))
    if feed.code == "disability" and not 1 <= values["grade"] <= 4:
        raise ValueError(_("残疾等级应为 1 至 4"))
    event = values[feed.date]
    if event > timezone.localdate():
        raise ValueError(_("%(c)s“%(v)s”晚于今天") % {"c": feed.column(feed.date).header, "v": event})
    return values


def _row_key(feed: Feed, values: dict[str, Any], period: dt.date) -> str:
    parts = [str(values.get(k) or "") for k in feed.key] + ([period.isoformat()] if feed.snapshot else [])
    return hashlib.sha256("\x1f".join([feed.code, *parts]).encode()).hexdigest()[:32]


# ------------------------------------------------------------------------------------------------ matching
def _persons_in_area(ids: set[str], region: Region) -> tuple[dict[str, int], set[str]]:
    """id number → person id for people living in ``region`` today; and the id numbers known but elsewhere."""
    people = dict(Person.objects.filter(id_number__in=ids).values_list("id_number", "pk"))
    here = set(Membership.objects.filter(person_id__in=people.values(), valid_to__isnull=True,
                                         household__region__code__startswith=region.prefix)
               .values_list("person_id", flat=True))
    inside = {n: pk for n, pk in people.items() if pk in here}
    return inside, set(people) - set(inside)


def _check_uploader(actor: User, feed: Feed, region: Region) -> str:
    department = getattr(actor, "department", "")
    if not allows(actor, Action.SUBMIT_DATA, region.code):
        raise PermissionDenied(_("您没有在该辖区报送部门数据的权限"))
    if department != Department.CIVIL_AFFAIRS and department not in feed.departments:
        raise PermissionDenied(_("%(f)s 不是您所在部门报送的数据") % {"f": feed.title})
    return department


def feed_load(*, actor: User, feed: str, region: Region, period: dt.date, filename: str, data: bytes | None = None,
              rows: list[dict[str, Any]] | None = None) -> FeedLoadResult:
    """Validate and load one delivery: a file (``data``) or an exchange push (``rows``, one dict per record).
    Raises ``FeedFileError`` with ``errors`` (row number + reason) and writes nothing if any row is bad."""
    spec = FEEDS.get(feed)
    if spec is None:
        raise FeedFileError(_("未知的数据类别：%(f)s") % {"f": feed}, code=Code.BAD_FEED)
    department = _check_uploader(actor, spec, region)
    period = period.replace(day=1)
    if data is not None:
        checksum = hashlib.sha256(data).hexdigest()
        fmt, raw = read_feed_file(filename, data)
    else:
        payload = repr(sorted(sorted((str(k), str(v)) for k, v in r.items()) for r in rows or [])).encode()
        checksum = hashlib.sha256(payload).hexdigest()
        fmt, raw = FeedFormat.PUSH, [(i, {str(k): "" if v is None else str(v) for k, v in r.items()})
                                     for i, r in enumerate(rows or [], start=1)]
    existing = FeedBatch.objects.filter(feed=feed, region=region, checksum=checksum).first()
    if existing is not None:
        return FeedLoadResult(batch=existing, rows=existing.row_count, already_loaded=True)
    if not raw:
        raise FeedFileError(_("没有数据行"), code=Code.EMPTY_FILE)
    parsed = _validate(spec, _map_columns(spec, raw), region, period)
    return _store(actor, spec, region, period, department, filename, checksum, fmt, parsed)


def _validate(spec: Feed, rows, region: Region, period: dt.date) -> list[tuple[int, dict[str, Any], str]]:
    villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, code__startswith=region.prefix)}
    parsed, errors, seen = [], [], {}
    for number, row in rows:
        try:
            values = _parse_row(spec, row, villages, period)
        except ValueError as exc:
            errors.append(_("第 %(n)d 行：%(msg)s") % {"n": number, "msg": echo(exc)})
            continue
        key = _row_key(spec, values, period)
        if key in seen:
            errors.append(_("第 %(n)d 行：与第 %(m)d 行重复") % {"n": number, "m": seen[key]})
            continue
        seen[key] = number
        parsed.append((number, values, key))
    if errors:
        raise FeedFileError(_("文件有 %(n)d 行错误，未导入任何数据。") % {"n": len(errors)},
                            errors=errors[:MAX_ERRORS_SHOWN], code=Code.BAD_ROWS)
    return parsed


def _feed_row(spec: Feed, batch: FeedBatch, number: int, values: dict[str, Any], key: str, person: int | None,
              match: str, period: dt.date) -> FeedRow:
    event = values[spec.date]
    month = period if spec.snapshot else event
    extra = {c.key: values[c.key] for c in spec.columns
             if c.key not in ("id_number", "name") and values.get(c.key) is not None}
    return FeedRow(
        batch=batch, region_id=batch.region_id, feed=spec.code, row_number=number, row_key=key,
        id_number=values.get("id_number") or "", name=(values.get("name") or "")[:50], person_id=person,
        village_id=values.get("village_code"), match=match, event_date=event,
        month=month_index(month.year, month.month),
        code=spec.codes[values[spec.type_column]] if spec.type_column else next(iter(spec.codes.values())),
        amount_fen=(values.get(spec.amount) or 0) if spec.amount else 0,
        grade=(values.get(spec.grade) or 0) if spec.grade else 0,
        item_key=hash_key(values[spec.item]) if spec.item else 0,
        fields={k: v.isoformat() if isinstance(v, dt.date) else v for k, v in extra.items()},
    )


def _store(actor: User, spec: Feed, region: Region, period: dt.date, department: str, filename: str, checksum: str,
           fmt: str, parsed) -> FeedLoadResult:
    ids = {v["id_number"] for _n, v, _k in parsed if v.get("id_number")}
    inside, elsewhere = _persons_in_area(ids, region)
    already = set(FeedRow.objects.filter(feed=spec.code, region=region, row_key__in=[k for _n, _v, k in parsed])
                  .values_list("row_key", flat=True))
    counts = {m: 0 for m in RowMatch.values}
    try:
        with transaction.atomic():
            batch = FeedBatch.objects.create(
                feed=spec.code, department=department, region=region, period=period, filename=filename[:200],
                checksum=checksum, fmt=fmt, row_count=len(parsed), uploaded_by=actor)
            new = []
            for number, values, key in parsed:
                if key in already:
                    continue
                number_id = values.get("id_number")
                if not number_id:
                    match, person = RowMatch.AREA, None
                elif number_id in inside:
                    match, person = RowMatch.MATCHED, inside[number_id]
                else:
                    match = RowMatch.OUT_OF_AREA if number_id in elsewhere else RowMatch.UNKNOWN
                    person = None
                counts[match] += 1
                new.append(_feed_row(spec, batch, number, values, key, person, match, period))
            FeedRow.objects.bulk_create(new, batch_size=2000)
            batch.new_count = len(new)
            batch.matched_count = counts[RowMatch.MATCHED] + counts[RowMatch.AREA]
            batch.unknown_count = counts[RowMatch.UNKNOWN]
            batch.out_of_area_count = counts[RowMatch.OUT_OF_AREA]
            batch.save(update_fields=["new_count", "matched_count", "unknown_count", "out_of_area_count"])
            audit_record(actor=actor, action=AuditAction.IMPORT, obj=batch, region_code=region.code,
                         changes={"feed": spec.code, "rows": len(parsed), "new": len(new), "checksum": checksum,
                                  "period": period})
    except IntegrityError:  # the same delivery loaded concurrently
        batch = FeedBatch.objects.get(feed=spec.code, region=region, checksum=checksum)
        return FeedLoadResult(batch=batch, rows=batch.row_count, already_loaded=True)
    return FeedLoadResult(batch=batch, rows=len(parsed), skipped=len(parsed) - batch.new_count, counts=counts)
