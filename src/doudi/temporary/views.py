"""Temporary-assistance screens: the reserve fund (备用金: balance, low-balance alert, ledger, top-up) and the
records a temporary case adds on its case page (stage payments, case-conference minutes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.cases.views.shared import after_then_case, parse_date
from doudi.core.errors import DomainError
from doudi.core.money import yuan_to_fen
from doudi.core.posted import PostedFlag, PostedForm, PostedText
from doudi.temporary import selectors, services


@login_required
def fund_list(request):
    funds = list(selectors.fund_list(actor=request.user))
    for fund in funds:
        fund.recent = list(selectors.fund_movements(actor=request.user, fund=fund)[:20])
    openable = selectors.townships_without_fund(actor=request.user)
    return render(request, "temporary/reserve_fund.html", {
        "funds": funds, "openable": openable, "pending_top_ups": list(selectors.top_ups_pending(actor=request.user)),
        "advances": selectors.advances_unconfirmed(actor=request.user, today=timezone.localdate()),
    })


class FundOpenForm(PostedForm):
    region = PostedText()  # a township of the user's without a fund yet, else 404


@login_required
@require_POST
def fund_open(request):
    code = FundOpenForm(request.POST).cleaned()["region"]
    region = next((r for r in selectors.townships_without_fund(actor=request.user) if r.code == code), None)
    if region is None:
        raise Http404
    try:
        services.fund_open(actor=request.user, region=region)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(town)s临时救助备用金已建立，请入账拨付资金") % {"town": region.name})
    return redirect("temporary:fund_list")


class TopUpForm(PostedForm):
    amount = PostedText()  # yuan; empty reads as 0, which the service refuses with its own message
    note = PostedText(max_length=200, label=gettext_lazy("说明"))  # ``FundTopUp.note``

    def clean(self):
        d = super().clean()
        d["amount_fen"] = self.parse(yuan_to_fen, d.pop("amount") or "0")
        return d


@login_required
@require_POST
def fund_top_up(request, pk: int):
    fund = selectors.fund_list(actor=request.user).filter(pk=pk).first()
    if fund is None:
        raise Http404
    try:
        services.fund_top_up(actor=request.user, fund=fund, **TopUpForm(request.POST).cleaned())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已录入，须由另一名工作人员确认后入账"))
    return redirect("temporary:fund_list")


def _confirm(request, action, done: str):
    try:
        action()
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("temporary:fund_list")


@login_required
@require_POST
def top_up_confirm(request, pk: int):
    return _confirm(request, lambda: services.fund_top_up_confirm(actor=request.user, top_up=pk), _("已确认入账"))


@login_required
@require_POST
def advance_confirm(request, pk: int):
    return _confirm(request, lambda: services.advance_confirm(actor=request.user, payment=pk),
                    _("先行救助已复核确认"))


class StagePaymentForm(PostedForm):
    amount = PostedText()  # yuan; empty reads as 0, which the service refuses with its own message
    from_reserve = PostedFlag(on="on")  # the check box: paid first from the township reserve fund

    def clean(self):
        d = super().clean()
        d["amount_fen"] = self.parse(yuan_to_fen, d.pop("amount") or "0")
        return d


@login_required
@require_POST
def payment_add(request, pk: int):
    form = StagePaymentForm(request.POST)
    return after_then_case(
        request,
        pk,
        lambda: services.temporary_pay_stage(actor=request.user, case=pk, **form.cleaned()),
        _("已发放"),
    )


class MinutesForm(PostedForm):
    held_on = PostedText(missing=None)  # empty: today

    def clean(self):
        d = super().clean()
        d["held_on"] = self.parse(parse_date, d["held_on"])
        return d


@login_required
@require_POST
def minutes_add(request, pk: int):
    upload = request.FILES.get("minutes")
    if upload is None:
        messages.error(request, _("请选择一事一议会议纪要文件"))
        return redirect("cases:case_detail", pk=pk)
    form = MinutesForm(request.POST)
    return after_then_case(
        request,
        pk,
        lambda: services.conference_minutes_attach(actor=request.user, case=pk, minutes=upload, **form.cleaned()),
        _("会议纪要已上传"),
    )


class BandQuery(PostedForm):
    """Intake's temporary-assistance fields as the band preview reads them; an amount still being typed (not yet a
    number) previews the band without it."""

    temp_type = PostedText()
    temp_cause = PostedText()
    temp_severity = PostedText()
    temp_amount = PostedText()

    def clean(self):
        d = super().clean()
        try:
            d["requested"] = yuan_to_fen(d["temp_amount"]) if d["temp_amount"] else None
        except DomainError:
            d["requested"] = None
        return d


@login_required
def band_preview(request, household_pk: int):
    """Intake's band (HTMX fragment): the profile's band for this household's request, who approves the amount,
    and the emergency deadline — the engine's answer, with the sources (issue 8 item 6)."""
    from doudi.accounts.choices import Action
    from doudi.cases.choices import TemporaryCause, TemporaryType
    from doudi.cases.selectors import temporary_limits
    from doudi.core.errors import NotFoundOrForbidden
    from doudi.registry.selectors import household_get
    from doudi.rules.kinds import TEMP_SEVERITY
    from doudi.temporary.policy import band_for

    try:
        household = household_get(actor=request.user, pk=household_pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404 from None
    d = BandQuery(request.GET).cleaned()
    type_ = d["temp_type"] if d["temp_type"] in TemporaryType.values else TemporaryType.EMERGENCY
    cause = d["temp_cause"] if d["temp_cause"] in TemporaryCause.values else "other"
    severity = d["temp_severity"] if d["temp_severity"] in TEMP_SEVERITY else "general"
    band = band_for(household, type_, cause, severity, d["requested"])
    lim = temporary_limits(household.region)
    return render(request, "temporary/_band.html", {"band": band, "lim": lim, "type": type_})
