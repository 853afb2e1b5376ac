"""Thin views: parse input, call services/selectors, render. Every read is scoped with ``restrict``."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows, region_prefixes
from doudi.core.errors import DomainError
from doudi.core.forms import errors_text
from doudi.core.money import format_yuan, round_fen_to_yuan
from doudi.core.paging import paginate
from doudi.payments import bankfiles, holds, selectors, services
from doudi.payments.choices import PAYROLL_PROGRAMS, FundLevel, FundUse, LineKind, LineStatus
from doudi.payments.forms import (
    AllocationForm,
    FundSourceForm,
    OneOffForm,
    PassbookAgreementForm,
    PayrollActionForm,
    PayrollCreateForm,
    PayrollLinesQuery,
    PriceIndexForm,
    YearQueryForm,
)
from doudi.payments.generation import payroll_generate
from doudi.regions.models import Region
from doudi.registry.selectors import attach_heads


def _or_404(fn, *a, **kw):
    try:
        return fn(*a, **kw)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        raise


def _submit(request, form, action):
    """Validate ``form`` and return ``action(cleaned_data)``; a bad value or a refusal becomes a Chinese message
    (and ``None``)."""
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return None
    try:
        return action(form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


@login_required
def payroll_list(request):
    if request.method == "POST":
        p = _submit(request, PayrollCreateForm(request.POST), lambda d: services.payroll_create(
            actor=request.user, region_code=d["region"], program=d["program"], month=d["month"]))
        if p is not None:
            return redirect("payments:payroll_detail", pk=p.pk)
    page = paginate(request, selectors.payroll_list(actor=request.user))
    payrolls = page.object_list
    from doudi.benefits.choices import Program

    return render(
        request,
        "payments/payroll_list.html",
        {"payrolls": payrolls, "page": page, "programs": [(p, Program(p).label) for p in PAYROLL_PROGRAMS]},
    )


@login_required
def payroll_detail(request, pk: int):
    payroll = _or_404(selectors.payroll_open, actor=request.user, pk=pk)
    # Lines are paged: a county payroll has thousands and the page must stay usable on a phone.
    lines = payroll.lines.select_related("household__region", "person").order_by("region_code", "id")
    only_held = PayrollLinesQuery(request.GET).cleaned()["status"] == LineStatus.HELD
    if only_held:
        lines = lines.filter(status=LineStatus.HELD)
    page = paginate(request, lines, per_page=100)
    rec = bankfiles.reconciliation(payroll)
    missing = (payroll.lines.filter(bank_account="", status=LineStatus.PENDING).count()
               if payroll.status in holds.NOT_SENT else 0)
    return render(request, "payments/payroll_detail.html", {
        "p": payroll, "lines": attach_heads(page.object_list), "page": page, "rec": rec, "only_held": only_held,
        "missing": missing, "can_change": allows(request.user, Action.CHANGE, payroll.region_id)})


@login_required
def payroll_progress(request, pk: int):
    payroll = _or_404(selectors.payroll_get, actor=request.user, pk=pk)
    return render(request, "payments/_progress.html", {"p": payroll})


@login_required
@require_POST
def payroll_action(request, pk: int, action: str):
    try:
        posted = PayrollActionForm(request.POST).cleaned()
        if action == "generate":
            # Small jurisdictions finish in a request; the task queue runs the same function for big ones.
            if posted["background"]:
                services.payroll_enqueue(actor=request.user, payroll_id=pk)
            else:
                services.payroll_for_change(actor=request.user, payroll_id=pk)
                payroll_generate(payroll_id=pk, actor=request.user)
        elif action == "reset":
            services.payroll_reset(actor=request.user, payroll_id=pk)
        elif action in ("reviewed", "approved", "draft"):
            services.payroll_transition(
                actor=request.user, payroll_id=pk, to=action, reason=posted["reason"]
            )
        elif action == "reissue":
            supp = services.reissue_failed(actor=request.user, payroll_id=pk)
            return redirect("payments:payroll_detail", pk=supp.pk)
        elif action == "hold":
            n = holds.payroll_hold_missing(actor=request.user, payroll_id=pk)
            messages.success(request, _("已暂缓 %(n)s 笔缺少银行账号的记录，其余记录可以继续办理") % {"n": n})
        elif action == "release":
            target = holds.payroll_release_held(actor=request.user, payroll_id=pk)
            messages.success(request, _("已放行补录账户的暂缓记录") if target.pk == pk else
                             _("补录账户的暂缓记录已转入补充名册，请审核后发放"))
            return redirect("payments:payroll_detail", pk=target.pk)
        elif action == "return":
            f = request.FILES.get("file")
            if f is None:
                raise DomainError(_("请选择回盘文件"))
            rec = bankfiles.import_bank_return(actor=request.user, payroll_id=pk, content=f.read(), filename=f.name)
            messages.success(request, _("回盘已导入：成功 %(paid)s 元，失败 %(failed)s 元") % {
                "paid": format_yuan(rec.paid_fen), "failed": format_yuan(rec.failed_fen)})
        else:
            raise Http404
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("payments:payroll_detail", pk=pk)


@login_required
@require_POST  # the first export moves the payroll to 已导出: a state change, never on a GET
def payroll_export(request, pk: int, fmt: str):
    try:
        name, content = bankfiles.export_bank_file(actor=request.user, payroll_id=pk, fmt=fmt)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("payments:payroll_detail", pk=pk)
    ctype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    resp = HttpResponse(content, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


@login_required
def household_history(request, pk: int):
    household, lines, agreements = _or_404(selectors.household_payments, actor=request.user, household_id=pk)
    if request.method == "POST":
        if _submit(request, PassbookAgreementForm(request.POST), lambda d: services.passbook_agreement_create(
                actor=request.user, household_id=pk, agreement_date=d["agreement_date"], file_ref=d["file_ref"],
                custodian=d["custodian"])):
            return redirect("payments:household_history", pk=pk)
    page = paginate(request, lines)
    return render(
        request,
        "payments/household_history.html",
        {
            "h": household,
            "lines": page.object_list,
            "page": page,
            "agreements": agreements,
            "is_staff_view": bool(region_prefixes(request.user, Action.VIEW)),
            "can_change": allows(request.user, Action.CHANGE, household.region_id),
        },
    )


def _year(request) -> int:
    """The year asked for in the query string; anything that is not a sane year (0, 99999, letters) shows this
    year."""
    form = YearQueryForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else None
    return year or timezone.localdate().year


@login_required
def statements(request):
    year = _year(request)
    rows = selectors.monthly_totals(actor=request.user, year=year)
    funds = selectors.fund_overview(actor=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        resp = HttpResponse(
            selectors.totals_workbook(rows, funds=funds),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="payments-{year}.xlsx"'
        return resp
    from doudi.benefits.choices import Program

    # Users read labels (最低生活保障, 按月发放), never the stored codes.
    programs, kinds = dict(Program.choices), dict(LineKind.choices)
    for r in rows:
        r["program_label"], r["kind_label"] = programs.get(r["program"], r["program"]), kinds.get(r["kind"], r["kind"])
    return render(
        request, "payments/statements.html", {"year": year, "rows": rows, "funds": funds, "levels": FundLevel.choices}
    )


@login_required
def chart(request):
    year = _year(request)
    from doudi.benefits.choices import Program

    months, series = selectors.totals_by_program(selectors.monthly_totals(actor=request.user, year=year))
    data = {
        "months": months,
        "series": [
            {
                "name": str(Program(k).label),
                "type": "bar",
                # whole yuan, half up, as integers: no float money even on a chart
                "data": [round_fen_to_yuan(v) // 100 for v in vals],
            }
            for k, vals in series.items()
        ],
    }
    return render(
        request,
        "payments/chart.html",
        {
            "year": year,
            "data": json.dumps(data, ensure_ascii=False),
            "has_data": any(any(s["data"]) for s in data["series"]),
        },
    )


@login_required
def budget(request):
    """Budget sources (资金来源) by level and year, their allocations, and the cap on purchased services."""
    year = _year(request)
    if request.method == "POST":
        if request.POST.get("kind") == "allocation":
            done = _submit(request, AllocationForm(request.POST), lambda d: services.allocation_create(
                actor=request.user, source_id=d["source"], use=d["use"], amount_fen=d["amount"]))
        else:
            done = _submit(request, FundSourceForm(request.POST), lambda d: services.fund_source_create(
                actor=request.user, region_code=d["region"], year=d["year"] or year, level=d["level"],
                amount_fen=d["amount"], document=d["document"]))
        if done is not None:
            return redirect(f"{request.path}?year={year}")
    sources = selectors.fund_sources(actor=request.user, year=year)
    # One query for the regions (was two per region), in code order so the cap list does not shuffle.
    regions = Region.objects.filter(pk__in={s.region_id for s in sources}).order_by("code")
    caps = [(r, selectors.purchased_services_cap(actor=request.user, region=r, year=year)) for r in regions]
    return render(
        request,
        "payments/budget.html",
        {
            "year": year,
            "sources": sources,
            "overview": selectors.fund_overview(actor=request.user, year=year),
            "caps": caps,
            "levels": FundLevel.choices,
            "uses": FundUse.choices,
        },
    )


@login_required
def price_linkage(request):
    if request.method == "POST":
        if request.POST.get("kind") == "one_off":
            done = _submit(request, OneOffForm(request.POST), lambda d: services.one_off_create(
                actor=request.user, region_code=d["region"], program=d["program"], month=d["month"],
                per_person_fen=d["amount"], decision_ref=d["decision_ref"]))
        else:
            done = _submit(request, PriceIndexForm(request.POST), lambda d: services.price_index_record(
                actor=request.user, region_code=d["region"], month=d["month"], cpi_yoy_bp=d["cpi"] or 0,
                food_cpi_yoy_bp=d["food_cpi"] or 0, source=d["source"]))
        if done is not None:
            return redirect("payments:price_linkage")
    from doudi.benefits.choices import Program
    from doudi.payments.models import OneOffSubsidy, PriceIndex

    return render(
        request,
        "payments/price_linkage.html",
        {
            "indexes": PriceIndex.objects.restrict(request.user, Action.VIEW).select_related("region")
            .order_by("-month")[:36],
            "one_offs": OneOffSubsidy.objects.restrict(request.user, Action.VIEW).select_related("region")
            .order_by("-month")[:36],
            "programs": [(p, Program(p).label) for p in PAYROLL_PROGRAMS],
        },
    )
