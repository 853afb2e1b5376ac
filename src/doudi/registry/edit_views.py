"""修改家庭信息: the screen that corrects a household's address and phone, its payment account, and who belongs to it,
each change dated and with its evidence. Plain forms and POST-redirect-GET; a refusal keeps what was typed."""

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
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.registry import account_changes, edits, selectors
from doudi.registry.choices import AccountChangeStatus, Relationship
from doudi.registry.forms import AccountDecisionForm, AccountForm, ContactForm, JoinForm, LeaveForm
from doudi.registry.models import BankAccountChange, Household, Membership

SECTIONS = ("contact", "account", "join", "leave")


def _current_members(household: Household):
    return (Membership.objects.filter(household=household).as_of(timezone.localdate())
            .select_related("person").order_by("valid_from", "id"))


def _forms(household: Household, members: list[Membership], posted: str = "", data=None) -> dict:
    initial = {"effective_on": timezone.localdate()}
    build = {
        "contact": lambda d: ContactForm(d, initial={**initial, "address": household.address,
                                                      "phone": household.phone}, prefix="contact"),
        "account": lambda d: AccountForm(d, initial={**initial, "bank_name": household.bank_name,
                                                      "account_holder": household.account_holder}, prefix="account"),
        "join": lambda d: JoinForm(d, initial=initial, prefix="join"),
        "leave": lambda d: LeaveForm(d, initial=initial, members=members, prefix="leave"),
    }
    return {name: make(data if name == posted else None) for name, make in build.items()}


def _apply(request, household: Household, section: str, form) -> str:
    d = form.cleaned_data
    basis = edits.Basis(effective_on=d["effective_on"], document=d["document"])
    if section == "contact":
        edits.household_correct(actor=request.user, household=household, basis=basis,
                                change=edits.ContactChange(address=d["address"], phone=d["phone"]))
        return _("已更正住址和联系电话")
    if section == "account":
        account_changes.account_change_propose(
            actor=request.user, household=household, basis=basis,
            change=edits.AccountChange(bank_name=d["bank_name"], bank_account=d["bank_account"],
                                       account_holder=d["account_holder"]))
        return _("账户变更已提交，须由另一名工作人员复核确认后生效；此前发放仍使用原账户")
    if section == "join":
        m = edits.member_join(actor=request.user, household=household, id_number=d["id_number"], name=d["name"],
                              relationship=d["relationship"], basis=basis)
        return _("%(name)s 已加入本户") % {"name": m.person.name}
    m = edits.member_leave(actor=request.user, household=household, membership_id=d["member"], why=d["why"],
                           basis=basis)
    return _("%(name)s 已离开本户") % {"name": m.person.name}


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk: int):
    try:
        household = selectors.household_get(actor=request.user, pk=pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404(_("未找到该家庭，或不在您的辖区内")) from None
    section = request.POST.get("section", "") if request.method == "POST" else ""
    if request.method == "POST" and section not in SECTIONS:
        raise Http404
    members = list(_current_members(household))
    forms = _forms(household, members, section, request.POST if section else None)
    error = ""
    if section:
        form = forms[section]
        if form.is_valid():
            try:
                messages.success(request, _apply(request, household, section, form))
                return redirect("registry:household_edit", pk=household.pk)
            except DomainError as exc:
                error = exc.message
        else:
            error = errors_text(form)
    # The head is among the current members: no second read for ``_household_name.html``.
    household.head = next((m.person for m in members if m.relationship == Relationship.HEAD), None)
    pending = (BankAccountChange.objects.filter(household=household, status=AccountChangeStatus.PENDING)
               .select_related("proposed_by").first())
    return render(request, "registry/household_edit.html", {
        "household": household, "forms": forms, "section": section, "error": error, "members": members,
        "pending_account": pending,
    })


@login_required
@require_POST
def account_change_decide(request, pk: int, change_id: int, decision: str):
    """复核 a proposed payment account: confirm (a person other than the proposer) or return / withdraw."""
    if decision not in ("confirm", "reject"):
        raise Http404
    try:
        household = selectors.household_get(actor=request.user, pk=pk, action=Action.CHANGE)
    except NotFoundOrForbidden:
        raise Http404(_("未找到该家庭，或不在您的辖区内")) from None
    try:
        note = AccountDecisionForm(request.POST).cleaned()["note"]
        if decision == "confirm":
            account_changes.account_change_confirm(actor=request.user, household=household, change_id=change_id,
                                                   note=note)
            messages.success(request, _("发放账户变更已复核生效"))
        else:
            account_changes.account_change_reject(actor=request.user, household=household, change_id=change_id,
                                                  note=note)
            messages.success(request, _("发放账户变更已退回"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('registry:household_edit', args=[household.pk])}#account")


@login_required
def account_change_list(request):
    """待复核的发放账户变更 in the user's area (for the second person)."""
    changes = (BankAccountChange.objects.restrict(request.user, Action.CHANGE)
               .filter(status=AccountChangeStatus.PENDING)
               .select_related("household", "household__region", "proposed_by").order_by("proposed_at", "id"))
    page = paginate(request, changes)
    page.object_list = selectors.attach_heads(page.object_list)
    return render(request, "registry/account_changes.html", {"page": page})
