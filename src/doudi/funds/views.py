"""Reserve-fund screen: balance, low-balance alert, ledger and top-up (备用金)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.core.errors import DomainError
from doudi.core.money import yuan_to_fen
from doudi.funds import selectors, services


@login_required
def fund_list(request):
    funds = list(selectors.fund_list(actor=request.user))
    for fund in funds:
        fund.recent = list(selectors.fund_movements(actor=request.user, fund=fund)[:20])
    openable = selectors.townships_without_fund(actor=request.user)
    return render(request, "funds/fund_list.html", {"funds": funds, "openable": openable})


@login_required
@require_POST
def fund_open(request):
    region = next((r for r in selectors.townships_without_fund(actor=request.user)
                   if r.code == request.POST.get("region")), None)
    if region is None:
        raise Http404
    try:
        services.fund_open(actor=request.user, region=region)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(town)s临时救助备用金已建立，请入账拨付资金") % {"town": region.name})
    return redirect("cases:fund_list")


@login_required
@require_POST
def fund_top_up(request, pk: int):
    fund = selectors.fund_list(actor=request.user).filter(pk=pk).first()
    if fund is None:
        raise Http404
    try:
        services.fund_top_up(actor=request.user, fund=fund, amount_fen=yuan_to_fen(request.POST.get("amount") or "0"),
                             note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已入账"))
    return redirect("cases:fund_list")
