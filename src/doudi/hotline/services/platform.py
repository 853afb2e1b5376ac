"""12345 platform work orders (政务服务便民热线, 国办发〔2020〕53号): the export file the platform hands the civil-
affairs department, read into tickets. CSV (UTF-8, with or without BOM) or .xlsx with the columns in ``COLUMNS``.

All or nothing: a file with one bad row is refused with every bad row named, and nothing is imported. A work
order already imported (same 工单编号) is skipped, so importing the same file twice adds nothing.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.exports import formula_unescape
from doudi.hotline.choices import Channel, TicketKind
from doudi.hotline.errors import Code, HotlineError
from doudi.hotline.models import Ticket
from doudi.hotline.services.tickets import TicketInput, _new
from doudi.regions.models import Region

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from doudi.accounts.models import User

COLUMNS = ("工单编号", "诉求类型", "诉求人", "联系电话", "诉求内容", "承办区划代码", "是否紧急")
KINDS = {str(label): value for value, label in TicketKind.choices}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: list[Ticket] = field(default_factory=list)
    skipped: int = 0


def _rows(content: bytes, filename: str) -> list[dict[str, str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl fails in many ways on a bad file; each one is the user's file, logged
            logger.info("hotline import: unreadable xlsx (%s)", type(exc).__name__, exc_info=True)
            raise HotlineError(_("无法读取该Excel文件"), code=Code.BAD_IMPORT, field="file") from None
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HotlineError(_("文件须为UTF-8编码的CSV或Excel文件"), code=Code.BAD_IMPORT, field="file") from None
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise HotlineError(_("文件为空"), code=Code.BAD_IMPORT, field="file")
    header = [h.strip() for h in values[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise HotlineError(_("缺少列：%(c)s") % {"c": "、".join(missing)}, code=Code.BAD_IMPORT, field="file")
    if len(values) - 1 > MAX_ROWS:
        raise HotlineError(_("一次最多导入%(n)d条工单，请分批导入") % {"n": MAX_ROWS}, code=Code.BAD_IMPORT)
    return [{h: formula_unescape(v.strip()) for h, v in zip(header, row, strict=False)}
            for row in values[1:] if any(v.strip() for v in row)]


def _parse(actor: User, row: dict[str, str], line: int) -> TicketInput:
    kind = KINDS.get(row["诉求类型"])
    if kind is None:
        raise ValueError(_("第%(l)d行：诉求类型须为 咨询、求助、投诉 或 举报") % {"l": line})
    region = Region.objects.filter(code=row["承办区划代码"]).first()
    if region is None or not allows(actor, Action.IMPORT, region.code):
        raise ValueError(_("第%(l)d行：承办区划代码不存在或不在您的辖区内") % {"l": line})
    if not row["工单编号"] or not row["诉求内容"]:
        raise ValueError(_("第%(l)d行：工单编号和诉求内容不能为空") % {"l": line})
    return TicketInput(kind=kind, channel=Channel.PLATFORM_12345, summary=row["诉求内容"][:4000], region=region,
                       caller_name=row["诉求人"][:50], caller_phone=row["联系电话"][:20],
                       anonymous=not row["诉求人"], urgent=row["是否紧急"] in ("是", "紧急"),
                       external_ref=row["工单编号"][:40])


@transaction.atomic
def ticket_import_12345(*, actor: User, content: bytes, filename: str) -> ImportResult:
    rows = _rows(content, filename)
    errors, inputs = [], []
    for line, row in enumerate(rows, start=2):
        try:
            inputs.append(_parse(actor, row, line))
        except ValueError as e:
            errors.append(str(e))
    if errors:
        raise HotlineError("；".join(errors[:20]) + ("……" if len(errors) > 20 else ""), code=Code.BAD_IMPORT)
    result = ImportResult()
    known = set(Ticket.objects.filter(channel=Channel.PLATFORM_12345,
                                      external_ref__in=[i.external_ref for i in inputs])
                .values_list("external_ref", flat=True))
    for data in inputs:
        if data.external_ref in known:
            result.skipped += 1
            continue
        known.add(data.external_ref)
        result.created.append(_new(data, actor, data.region))
    audit_record(actor=actor, action=AuditAction.IMPORT, object_type="hotline.ticket", object_repr=filename[:100],
                 changes={"created": len(result.created), "skipped": result.skipped})
    return result
