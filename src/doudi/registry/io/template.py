"""The downloadable .xlsx template: a 台账 sheet with the headers the importer expects (and drop-downs for the
label columns), a 填写说明 sheet, and a 代码表 sheet listing every allowed value."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from doudi.registry.io.columns import COLUMNS, label_maps
from doudi.registry.io.reader import DATA_SHEET

TEXT_COLUMNS = ("number", "region", "phone", "bank_account", "id_number", "mobile")
REQUIRED_NOTE = {"id_number", "name", "relationship"}

RULES = (
    "每行填写一户中的一名成员；同一户的成员，家庭信息（户编号至账户户名）只需在户主行填写，各行填写时必须一致。",
    "已有家庭填写户编号（可从“台账导出”获得）；新家庭户编号留空，户主行在前，其后紧接的户编号为空的行为该户成员。",
    "导入时须选择台账日期（默认当天）：收入、财产等信息作为自台账日期起的情况登记，来源记为“台账导入”。",
    "金额单位为元，最多两位小数，不能为负数；留空表示不变更，填 0 表示没有。",
    "与现有记录相同的内容不会重复登记：导出后修改再导入，只有改动的内容会被登记。",
    "名单中未列出的现有成员保持不变；成员迁出请在家庭台账中办理。",
    "任何一行有错误时，整个文件都不会导入；请按错误清单逐行修改后重新上传。",
    "身份证号码、银行账号、区划代码请设置为文本格式，避免 Excel 改写为科学计数。",
)


def template_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    _header(sheet)
    _code_lists(workbook.create_sheet(_("代码表")), sheet)
    _notes(workbook.create_sheet(_("填写说明")))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header(sheet) -> None:
    """The 台账 sheet: bold headers, column widths, text format where Excel would mangle digits."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = column.width
        if column.key in TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"


def _code_lists(codes, sheet) -> None:
    """代码表: one column per label column; the 台账 drop-downs point at these ranges."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    maps = label_maps()
    keys = [c for c in COLUMNS if c.key in maps]
    for j, column in enumerate(keys, start=1):
        codes.cell(row=1, column=j, value=column.header).font = Font(bold=True)
        codes.column_dimensions[get_column_letter(j)].width = 22
        values = list(maps[column.key])
        for k, label in enumerate(values, start=2):
            codes.cell(row=k, column=j, value=str(label))
        letter = get_column_letter(j)
        validation = DataValidation(
            type="list", formula1=f"'{codes.title}'!${letter}$2:${letter}${len(values) + 1}", allow_blank=True
        )
        validation.error = _("请从下拉列表中选择")
        sheet.add_data_validation(validation)
        target = get_column_letter([c.key for c in COLUMNS].index(column.key) + 1)
        validation.add(f"{target}2:{target}20000")


def _notes(notes) -> None:
    """填写说明: the rules, then each column with whether it is required and what it holds."""
    from openpyxl.styles import Font

    bold = Font(bold=True)
    notes.append([_("填写规则")])
    notes["A1"].font = bold
    for n, rule in enumerate(RULES, start=1):
        notes.append([f"{n}. {rule}"])
    notes.append([])
    notes.append([_("列名"), _("必填"), _("说明")])
    for cell in notes[notes.max_row]:
        cell.font = bold
    for column in COLUMNS:
        required = _("是") if column.key in REQUIRED_NOTE else ""
        notes.append([column.header, required, column.help])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 6
    notes.column_dimensions["C"].width = 90
