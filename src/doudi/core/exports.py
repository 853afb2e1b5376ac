"""Spreadsheet output shared by every export: "export the list you are looking at" (列表导出).

Two layers; this module is the lower one (it knows nothing of users or the audit log):

- ``csv_chunks`` / ``xlsx_file`` / ``xlsx_workbook`` are the one writer of every CSV and .xlsx the project hands
  out (lists, the registry ledger, statements, bank files). Every text cell that a spreadsheet would read as a
  formula is written with a leading apostrophe (``formula_safe``), so a name like ``=HYPERLINK(...)`` stays text;
  numbers are written as numbers and never touched. CSV goes out as UTF-8 with a BOM (so Excel picks the right
  encoding), yielded in chunks for a streaming response; .xlsx through an openpyxl write-only workbook (bold header,
  frozen first row, column widths) spooled to a temporary file. They never mask anything themselves: the registry's
  full ledger must keep full ID numbers for re-import.
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
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.ids import mask_ids_in_text

FORMATS = ("xlsx", "csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 500
_CSV_FLUSH = 64_000


# A cell whose text starts with one of these is a formula to Excel, WPS or LibreOffice (OWASP "CSV injection"):
# = + - @, and tab / carriage return (which some spreadsheets skip before reading the formula). The full-width forms
# are what a Chinese input method types; WPS and Excel with a CJK input locale turn a leading ＝ into a formula, so
# they are escaped too. An escaped cell keeps its text after an apostrophe, which Excel shows as text and the
# registry import strips again (``formula_unescape``).
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")


def formula_safe(value):
    """Text that a spreadsheet would evaluate, prefixed with an apostrophe; any other value unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def formula_unescape(text: str) -> str:
    """The inverse of ``formula_safe`` for text read back from one of our own files."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


@dataclass(frozen=True)
class Column:
    header: str  # Chinese, usually a lazy translation
    width: int = 14


def cell_text(value) -> str:
    """A cell as CSV text: numbers as they are (a negative amount stays ``-12.50``), text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return formula_safe(value)
    return str(value)


def _local(value: dt.datetime) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _cell(value):
    """Dates go to Excel as ISO text, as in the CSV: no locale date formats and no '####' in narrow columns. Text is
    made formula-safe (openpyxl itself would store a string starting with "=" as a formula)."""
    if isinstance(value, dt.datetime):
        return _local(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return formula_safe(value)


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """UTF-8 with BOM, so Excel opens it with the right encoding; yielded in chunks for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    writer.writerow([formula_safe(str(h)) for h in headers])
    for row in rows:
        writer.writerow([cell_text(v) for v in row])
        if buffer.tell() > _CSV_FLUSH:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()


def xlsx_workbook(sheets: Sequence[Sheet]):
    """A write-only workbook spooled to a temporary file (rows go to disk as they come); returns the open file.
    Bold header, frozen first row, column widths; ``Decimal`` amounts shown with two decimals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(spec.title))
        for i, width in enumerate(spec.widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = width
        sheet.freeze_panes = "A2"
        header = []
        for h in spec.headers:
            cell = WriteOnlyCell(sheet, value=formula_safe(str(h)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            sheet.append([_xlsx_cell(sheet, WriteOnlyCell, v) for v in row])
    out = tempfile.TemporaryFile()
    workbook.save(out)
    out.seek(0)
    return out


def _xlsx_cell(sheet, cell_class, value):
    if isinstance(value, Decimal):
        cell = cell_class(sheet, value=value)
        cell.number_format = "0.00"
        return cell
    return _cell(value)


def xlsx_file(headers: Sequence[str], rows: Iterable[Sequence], *, title: str, widths: Sequence[int] = ()):
    """One sheet; see ``xlsx_workbook``."""
    return xlsx_workbook([Sheet(title=title, headers=headers, rows=rows, widths=widths)])


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The whole CSV at once (UTF-8 with BOM, CRLF line ends), for files that are stored or attached."""
    return "".join(csv_chunks(headers, rows)).encode("utf-8")


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
