"""医疗救助 screens: the claims of the user's area (enter, import a settlement file, evaluate, approve) and putting
approved claims on the month's medical payroll (then reviewed and paid on the payroll screens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from doudi.accounts.choices import Action
from doudi.core.errors import DomainError
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.medical import exchange, payroll, services
from doudi.medical.choices import ClaimKind, ClaimStatus, Payee
from doudi.medical.forms import (
    ClaimForm,
    ClaimListQuery,
    DecideForm,
    InstitutionAccountForm,
    InstitutionForm,
    PayrollForm,
    SettlementForm,
)
from doudi.medical.models import MedicalClaim
from doudi.payments import payees
from doudi.payments.models import PayeeInstitution
from doudi.payments.payees import institution_create
from doudi.registry.choices import AccountChangeStatus
from doudi.registry.edits import Basis
from doudi.registry.forms import AccountDecisionForm
from doudi.registry.models import Person

MAX_UPLOAD = 5 * 1024 * 1024


@login_required
def claim_list(request):
    qs = MedicalClaim.objects.restrict(request.user, Action.VIEW).select_related("person", "household", "institution")
    status = ClaimListQuery(request.GET).cleaned()["status"]
    if status:
        qs = qs.filter(status=status)
    page = paginate(request, qs.order_by("-claim_date", "-id"))
    institutions = (PayeeInstitution.objects.restrict(request.user, Action.VIEW).select_related("region")
                    .order_by("region_id", "name")[:200])
    return render(request, "medical/claim_list.html", {"page": page, "kinds": ClaimKind.choices,
                                                        "statuses": ClaimStatus.choices, "status": status,
                                                        "payees": Payee.choices, "institutions": institutions,
                                                        "today": timezone.localdate()})


def _run(request, fn, ok: str):
    try:
        result = fn()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ok if not callable(ok) else ok(result))
    return redirect("medical:claim_list")


@login_required
@require_POST
def claim_add(request):
    def go():
        d = ClaimForm(request.POST).cleaned()
        person = Person.objects.restrict(request.user, Action.CHANGE).filter(id_number=d.pop("id_number")).first()
        if person is None:
            raise DomainError(_("本辖区登记系统中没有该身份证号的人员"))
        return services.claim_create(actor=request.user, person=person, **d)
    return _run(request, go, _("结算已录入"))


@login_required
@require_POST
def claim_import(request):
    upload = request.FILES.get("file")

    def go():
        if upload is None or upload.size > MAX_UPLOAD:
            raise DomainError(_("请选择不超过5MB的结算文件（CSV）"))
        return exchange.claims_import(actor=request.user, content=upload.read(), filename=upload.name)
    return _run(request, go, lambda r: _("已导入%(a)s条，跳过已导入%(s)s条") % {"a": r["added"], "s": r["skipped"]})


@login_required
@require_POST
def claims_evaluate(request):
    ids = list(MedicalClaim.objects.restrict(request.user, Action.CHANGE).filter(
        status__in=[ClaimStatus.PENDING, ClaimStatus.EVALUATED]).values_list("pk", flat=True)[:5000])
    return _run(request, lambda: services.claims_evaluate(actor=request.user, claim_ids=ids),
                lambda r: _("已测算%(n)s条") % {"n": len(r)})


@login_required
@require_POST
def claim_decide(request, pk: int):
    def go() -> bool:
        d = DecideForm(request.POST).cleaned()
        services.claim_approve(actor=request.user, claim=pk, **d)
        return d["approve"]
    return _run(request, go, lambda approved: _("已审批") if approved else _("已决定不予救助"))


@login_required
@require_POST
def payroll_make(request):
    def go():
        d = PayrollForm(request.POST).cleaned()
        return payroll.medical_payroll(actor=request.user, region_code=d["region"], month=d["month"])
    return _run(request, go, lambda r: _("已列入%(m)s医疗救助发放名册，共%(n)s笔") % {
        "m": f"{r.month:%Y年%m月}", "n": r.line_count})


@login_required
@require_POST
def institution_add(request):
    def go():
        d = InstitutionForm(request.POST).cleaned()
        return institution_create(actor=request.user, region_code=d.pop("region"), **d)
    return _run(request, go,
                lambda r: _("已登记收款机构：%(n)s；收款账户须由另一名工作人员复核确认后方可结算") % {"n": r.name})


def _institution(request, pk: int) -> PayeeInstitution:
    """The institution if the user may change things in its area (read-only roles and other areas: 404)."""
    inst = (PayeeInstitution.objects.restrict(request.user, Action.CHANGE)
            .select_related("region", "account_confirmed_by").filter(pk=pk).first())
    if inst is None:
        raise Http404(_("未找到该收款机构，或不在您的辖区内"))
    return inst


@login_required
@require_http_methods(["GET", "POST"])
def institution_edit(request, pk: int):
    """收款机构 page: the confirmed account (masked), the proposal waiting for a second person, and a form to propose
    a new bank, account or holder."""
    inst = _institution(request, pk)
    form = InstitutionAccountForm(request.POST or None, initial={
        "effective_on": timezone.localdate(), "bank_name": inst.bank_name, "account_holder": inst.account_holder})
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                payees.institution_account_propose(
                    actor=request.user, institution=inst, bank_name=d["bank_name"], bank_account=d["bank_account"],
                    account_holder=d["account_holder"],
                    basis=Basis(effective_on=d["effective_on"], document=d["document"]))
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("账户变更已提交，须由另一名工作人员复核确认后生效；此前结算仍使用原账户"))
                return redirect("medical:institution_edit", pk=inst.pk)
        else:
            error = errors_text(form)
    changes = inst.account_changes.select_related("proposed_by", "decided_by").order_by("-proposed_at", "-id")
    pending = next((c for c in changes if c.status == AccountChangeStatus.PENDING), None)
    return render(request, "medical/institution_edit.html", {
        "inst": inst, "form": form, "error": error, "pending": pending,
        "history": [c for c in changes[:20] if c.status != AccountChangeStatus.PENDING]})


@login_required
@require_POST
def institution_account_decide(request, pk: int, change_id: int, decision: str):
    """复核 a proposed institution account: confirm (a person other than the proposer) or return / withdraw."""
    if decision not in ("confirm", "reject"):
        raise Http404
    inst = _institution(request, pk)
    try:
        note = AccountDecisionForm(request.POST).cleaned()["note"]
        if decision == "confirm":
            payees.institution_account_confirm(actor=request.user, institution=inst, change_id=change_id, note=note)
            messages.success(request, _("收款账户已复核生效，此后的结算名册付至该账户"))
        else:
            payees.institution_account_reject(actor=request.user, institution=inst, change_id=change_id, note=note)
            messages.success(request, _("发放账户变更已退回"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('medical:institution_edit', args=[inst.pk])}#account")


@login_required
@require_POST
def settlement_make(request):
    def go():
        d = SettlementForm(request.POST).cleaned()
        return payroll.medical_settlement(actor=request.user, region_code=d["region"], institution=d["institution"],
                                          month=d["month"])
    return _run(request, go, lambda r: _("已列入%(m)s%(i)s结算名册，共%(n)s人") % {
        "m": f"{r.month:%Y年%m月}", "i": r.institution.name, "n": r.line_count})
