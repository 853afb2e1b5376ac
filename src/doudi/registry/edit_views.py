"""修改家庭信息: the screen that corrects a household's address and phone, its payment account, and who belongs to it,
each change dated and with its evidence. Plain forms and POST-redirect-GET; a refusal keeps what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from doudi.accounts.choices import Action
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.forms import errors_text
from doudi.registry import edits, selectors
from doudi.registry.choices import Relationship
from doudi.registry.forms import AccountForm, ContactForm, JoinForm, LeaveForm
from doudi.registry.models import Household, Membership

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
        edits.household_correct(actor=request.user, household=household, basis=basis,
                                change=edits.AccountChange(bank_name=d["bank_name"], bank_account=d["bank_account"],
                                                           account_holder=d["account_holder"]))
        return _("已更正发放账户")
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
    return render(request, "registry/household_edit.html", {
        "household": household, "forms": forms, "section": section, "error": error, "members": members,
    })
