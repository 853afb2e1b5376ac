"""Spreadsheet output shared by every export: "export the list you are looking at" (列表导出).

Two layers; this module is the lower one (it knows nothing of users or the audit log):

- ``csv_chunks`` / ``xlsx_file`` only write cells: CSV as UTF-8 with a BOM (so Excel picks the right encoding),
  yielded in chunks for a streaming response; .xlsx through an openpyxl write-only workbook (bold header, frozen first
  row, column widths) spooled to a temporary file. The registry ledger uses them too, so they never mask anything
  themselves — its full ledger must keep full ID numbers for re-import.
- ``masked_rows`` and ``file_response`` turn rows into a masked download. ``doudi.audit.list_export`` builds the one
  way a *list screen* is exported on top of them: scoped by the ``export`` action and audited.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.ids import mask_ids_in_text

FORMATS = ("xlsx", "csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500
_CSV_FLUSH = 64_000


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, usually a lazy translation
    width: int = 14


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _local(value: dt.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _cell(value):
    """Dates go to Excel as ISO text, as in the CSV: no locale date formats and no '####' in narrow columns."""
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """UTF-8 with BOM, so Excel opens it with the right encoding; yielded in chunks for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([str(h) for h in headers])
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
        if buffer.tell() > _CSV_FLUSH:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(headers: Sequence[str], rows: Iterable[Sequence], *, title: str, widths: Sequence[int] = ()):
    """A write-only workbook spooled to a temporary file (rows go to disk as they come); returns the open file."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=str(h))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    return cleaned[:31] or "Sheet1"


def masked_rows(rows: Iterable[Sequence]) -> Iterator[list]:
    """Every text cell with any resident ID number in it masked (110101***********X style)."""
    for row in rows:
        yield [mask_ids_in_text(v) if isinstance(v, str) else v for v in row]


def yes_no(flag: bool) -> str:
    return _("是") if flag else _("否")


def file_response(*, fmt: str, name: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    """The download itself: ``<name>-<yyyymmdd>.<fmt>``, CSV streamed, .xlsx from its temporary file."""
    headers = [str(c.header) for c in columns]
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(headers, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    content = xlsx_file(headers, rows, title=title, widths=[c.width for c in columns])
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX)
