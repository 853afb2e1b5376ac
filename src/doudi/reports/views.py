"""The director's desk (today's work + ECharts dashboards) and the statutory reports (request, view, Excel, PDF)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.exports import XLSX
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.regions.models import Region
from doudi.reports import selectors, services
from doudi.reports.choices import ReportKind, ReportStatus
from doudi.reports.exports import COLUMNS, report_pdf, report_title, report_xlsx


@login_required
def desk(request):
    from doudi.accounts.scoping import region_prefixes

    director = selectors.is_director(request.user)
    return render(request, "reports/desk.html", {
        "todo": selectors.todo_for(request.user), "director": director,
        "can_oversee": director and bool(region_prefixes(request.user, Action.VIEW_FULL)),
        "data": selectors.desk_data(request.user) if director else None})


@login_required
def todo(request):
    """HTMX fragment: today's work, loaded after the home page (which stays a fixed, small number of queries)."""
    return render(request, "reports/_todo.html", {"todo": selectors.todo_for(request.user)})


@login_required
def oversight(request):
    """监督一览: county level and above, roles that see full records (warnings and relatives hold personal data)."""
    from doudi.accounts.scoping import region_prefixes
    from doudi.reports.oversight import oversight as read

    if not (selectors.is_director(request.user) and region_prefixes(request.user, Action.VIEW_FULL)):
        raise Http404
    return render(request, "reports/oversight.html", read(request.user))


class ReportForm(forms.Form):
    region = forms.ModelChoiceField(label=gettext_lazy("填报单位"), queryset=Region.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("报表"), choices=ReportKind.choices)
    month = forms.RegexField(label=gettext_lazy("报告期（年-月）"), regex=r"^\d{4}-(0[1-9]|1[0-2])$",
                             error_messages={"invalid": gettext_lazy("请按“2026-03”格式填写月份")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.reporting_regions(user)
        self.fields["month"].initial = f"{timezone.localdate():%Y-%m}"


@login_required
def report_list(request):
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            year, month = (int(x) for x in d["month"].split("-"))
            try:
                report = services.report_request(actor=request.user, region=d["region"], kind=d["kind"],
                                                 period=dt.date(year, month, 1))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已提交，后台计算完成后即可查看和导出"))
                return redirect("reports:report_detail", pk=report.pk)
        else:
            messages.error(request, errors_text(form))
    page = paginate(request, selectors.report_list(actor=request.user))
    return render(request, "reports/report_list.html", {"form": form, "page": page, "reports": page.object_list,
                                                        "can_request": form.fields["region"].queryset.exists()})


def _report(request, pk: int, action: str = Action.EXPORT):
    try:
        return selectors.report_get(actor=request.user, pk=pk, action=action)
    except NotFoundOrForbidden:
        raise Http404 from None


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    rows = None
    if report.status == ReportStatus.DONE:
        from doudi.reports.exports import shown_table

        rows = shown_table(report)
    return render(request, "reports/report_detail.html", {
        "report": report, "title": report_title(report), "table": rows, "columns": COLUMNS,
        "pending": report.status in (ReportStatus.PENDING, ReportStatus.RUNNING)})


def _download(request, pk: int):
    report = _report(request, pk, Action.EXPORT)
    if report.status != ReportStatus.DONE:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.EXPORT, obj=report, region_code=report.region_id)
    return report


@login_required
def report_excel(request, pk: int):
    report = _download(request, pk)
    return FileResponse(report_xlsx(report), as_attachment=True, content_type=XLSX,
                        filename=f"{report_title(report)}.xlsx")


@login_required
def report_pdf_view(request, pk: int):
    report = _download(request, pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{report.pk}.pdf"'
    return response


def _evaluation(request):
    from doudi.reports.evaluation import evaluate

    if not selectors.is_director(request.user):
        raise Http404
    return evaluate(request.user, selectors.top_region(request.user))


@login_required
def evaluation(request):
    """绩效评价: the child areas of the user's widest area, scored from the records with the profile's weights."""
    return render(request, "reports/evaluation.html", {"ev": _evaluation(request)})


@login_required
def evaluation_xlsx(request):
    from doudi.core.exports import Column, file_response
    from doudi.reports.dashboards import percent

    ev = _evaluation(request)
    columns = [Column(gettext_lazy("排名"), 6), Column(gettext_lazy("地区"), 16), Column(gettext_lazy("得分"), 8),
               *[Column(f"{i.label}（{_('权重')} {percent(i.weight_bp)}）", 24) for i in ev.indicators]]
    rows = [[r.rank or "", r.name, r.score, *[r.shown(i.key) for i in ev.indicators]] for r in ev.rows]
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="reports.evaluation",
                 object_repr=f"绩效评价 {ev.region.name if ev.region else ''}",
                 region_code=ev.region.code if ev.region else "")
    return file_response(fmt="xlsx", name="evaluation", title=_("绩效评价"), columns=columns, rows=rows)
