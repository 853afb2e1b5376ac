"""Turn an uploaded .xlsx or .csv into rows of plain strings.

Excel on Windows saves "CSV" as GBK, everything else as UTF-8 (often with a BOM): try UTF-8 first, then GB18030
(a superset of GBK). Numbers from .xlsx cells are turned back into the text the user typed (never through float
arithmetic), so amounts can be parsed exactly by ``yuan_to_fen``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from doudi.core.errors import DomainError
from doudi.core.exports import formula_unescape

DATA_SHEET = "台账"
MAX_ROWS = 50_000


class UnreadableFile(DomainError):
    code = "unreadable_file"


@dataclass
class SheetRows:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        # repr gives the shortest text that reads back as the same double: what the user typed.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    # Our exports prefix formula-like text with an apostrophe (core.exports.formula_safe): undo it, so a ledger
    # exported and re-imported unchanged changes nothing.
    return formula_unescape(str(value).strip())


def _collect(raw_rows: Iterator, first_row: int) -> SheetRows:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(raw_rows, start=first_row):
        cells = [cell_text(v) for v in raw]
        if header is None:
            if any(cells):
                header = cells
            continue
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnreadableFile(_("文件超过 %(n)d 行，请分批导入") % {"n": MAX_ROWS})
        rows.append((number, cells))
    return SheetRows(header=header or [], rows=rows)


def read_xlsx(data: bytes) -> SheetRows:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise UnreadableFile(_("无法读取该 Excel 文件，请使用本系统的模板（.xlsx）")) from None
    try:
        sheet = workbook[DATA_SHEET] if DATA_SHEET in workbook.sheetnames else workbook.worksheets[0]
        return _collect(sheet.iter_rows(values_only=True), 1)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GBK"))


def read_csv(data: bytes) -> SheetRows:
    text = decode_csv(data)
    try:
        return _collect(csv.reader(io.StringIO(text, newline="")), 1)
    except csv.Error:
        raise UnreadableFile(_("CSV 文件格式有误，无法读取")) from None


def read_upload(filename: str, data: bytes) -> SheetRows:
    name = (filename or "").lower()
    if name.endswith(".csv"):
        return read_csv(data)
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data)
    raise UnreadableFile(_("仅支持 .xlsx 或 .csv 文件"))
