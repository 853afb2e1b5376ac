"""Spreadsheet import/export of the registry (台账导入导出). Thin views: parse the request, call ``registry.io``.

A user without the ``import`` / ``export`` action anywhere gets the same 404 as for something out of scope.
"""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.audit.list_export import require_export
from doudi.core import exports
from doudi.core.errors import DomainError
from doudi.core.forms import date_input
from doudi.core.ids import echo, mask_account, mask_resident_id
from doudi.core.search import search_term
from doudi.core.validators import InvalidInput, check_date
from doudi.registry.io.columns import COLUMN_BY_KEY, COLUMNS
from doudi.registry.io.exporter import registry_export
from doudi.registry.io.importer import registry_import
from doudi.registry.io.reader import DATA_SHEET, UnreadableFile, read_upload
from doudi.registry.io.template import template_bytes

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("台账文件（.xlsx 或 .csv）"))
    ledger_date = forms.DateField(
        label=gettext_lazy("台账日期"),
        initial=timezone.localdate,
        help_text=gettext_lazy("收入、财产等信息自该日起有效"),
        widget=date_input(),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 20 MB，请分批导入"))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("仅支持 .xlsx 或 .csv 文件"))
        return upload

    def clean_ledger_date(self):
        day = self.cleaned_data["ledger_date"]
        try:
            return check_date(day, label=_("台账日期"))
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from None


def _require(user, action: str) -> None:
    if not region_prefixes(user, action):
        raise Http404


def _shown_value(column: str, value: str) -> str:
    """Error tables never show a full ID or bank account number."""
    if not value:
        return ""
    if column == COLUMN_BY_KEY["id_number"].header:
        return mask_resident_id(value)
    if column == COLUMN_BY_KEY["bank_account"].header:
        return mask_account(value)
    return echo(value)  # an ID typed into another column


@login_required
def import_upload(request):
    _require(request.user, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet = read_upload(upload.name, upload.read())
            result = registry_import(
                actor=request.user, sheet=sheet, ledger_date=form.cleaned_data["ledger_date"], filename=upload.name
            )
        except UnreadableFile as exc:
            form.add_error("file", exc.message)
            status = 400
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 400
        else:
            context["result"] = result
            context["errors"] = [
                {"row": e.row, "column": e.column, "value": _shown_value(e.column, e.value), "message": echo(e.message)}
                for e in result.errors
            ]
            status = 200 if result.ok else 400
    elif request.method == "POST":
        status = 400
    return render(request, "registry/io/import.html", context, status=status)


@login_required
def import_template(request):
    _require(request.user, Action.IMPORT)
    return FileResponse(
        io.BytesIO(template_bytes()), as_attachment=True, filename="台账导入模板.xlsx", content_type=exports.XLSX
    )


@login_required
def export_households(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    require_export(request.user)
    full = request.GET.get("full") == "1"
    if full:
        _require(request.user, Action.VIEW_FULL)
    export = registry_export(
        actor=request.user,
        fmt=fmt,
        query=search_term(request),
        region_code=request.GET.get("region", "").strip(),
        full=full,
    )
    name = "registry-full" if full else "registry"
    return exports.file_response(fmt=fmt, name=name, title=DATA_SHEET, columns=COLUMNS, rows=export.rows)
