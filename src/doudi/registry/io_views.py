"""Spreadsheet import/export of the registry (placeholder until import/export lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def import_upload(request):
    return HttpResponse("导入")


@login_required
def import_template(request):
    return HttpResponse("模板")


@login_required
def export_households(request, fmt: str):
    return HttpResponse("导出")
