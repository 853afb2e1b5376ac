"""Hotline screens: the ticket list (all / overdue / 督办), registering a call, a ticket's page with its steps, the
12345 import, the lines and their random call-backs, and the public form (no login)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.benefits.models import Entitlement
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedText
from doudi.hotline import selectors, services
from doudi.hotline.choices import Satisfaction, Status, TicketKind
from doudi.hotline.forms import (
    ApplicationForm,
    CallbackForm,
    ImportForm,
    LineCheckForm,
    LineDrawForm,
    LinkForm,
    PublicTicketForm,
    ReviewForm,
    TicketForm,
    TransferForm,
)
from doudi.hotline.services import TicketInput
from doudi.hotline.services.tickets import NEXT
from doudi.registry.models import Household, Membership


@login_required
def ticket_list(request):
    today = timezone.localdate()
    filters = selectors.ticket_filters(request.GET)
    page = paginate(request, selectors.ticket_list(actor=request.user, today=today, **filters))
    tickets = list(page.object_list)
    for t in tickets:
        t.overdue, t.caller = t.is_overdue(today), selectors.caller_shown(t, user=request.user)
    return render(request, "hotline/list.html", {
        "tickets": tickets, "page": page, "filters": filters, "kinds": TicketKind.choices, "statuses": Status.choices,
        "escalated_count": selectors.escalated_to_me(actor=request.user).count(),
        "can_create": selectors.handling_regions_exist(request.user)})


@login_required
def ticket_new(request):
    form = TicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            t = services.ticket_create(actor=request.user, data=TicketInput(
                kind=d["kind"], channel=d["channel"], topic=d["topic"], region=d["region"], summary=d["summary"],
                caller_name=d["caller_name"], caller_phone=d["caller_phone"], anonymous=d["anonymous"],
                urgent=d["urgent"], external_ref=d["external_ref"]))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("工单 %(n)s 已登记，办结期限 %(d)s") % {"n": t.number, "d": t.resolution_due})
            return redirect("hotline:detail", pk=t.pk)
    elif request.method == "POST":
        messages.error(request, errors_text(form))
    return render(request, "hotline/form.html", {"form": form})


def _ticket(request, pk: int, action: str = Action.VIEW_FULL):
    try:
        return selectors.ticket_get(actor=request.user, pk=pk, action=action)
    except NotFoundOrForbidden:
        raise Http404 from None


@login_required
def ticket_detail(request, pk: int):
    try:
        t = selectors.ticket_view_full(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    today = timezone.localdate()
    can_change = allows(request.user, Action.CHANGE, t.region_id)
    members = []
    if t.household_id and t.kind == TicketKind.HELP and not t.application_id:
        members = [m.person for m in Membership.objects.filter(household_id=t.household_id).as_of(today)
                   .select_related("person")]
    entitlements = []
    if t.household_id and t.protects_caller and not t.review_id:
        entitlements = list(Entitlement.objects.restrict(request.user, Action.CHANGE)
                            .filter(household_id=t.household_id, status__in=("active", "grace")))
    return render(request, "hotline/detail.html", {
        "t": t, "overdue": t.is_overdue(today), "caller": selectors.caller_shown(t, user=request.user),
        "may_reveal": t.caller_visible_to(request.user) and allows(request.user, Action.VIEW_FULL, t.region_id)
        and bool(t.caller_name), "can_change": can_change, "next": NEXT[t.status], "events": t.events
        .select_related("actor", "from_region", "to_region"), "transfer_form": TransferForm(),
        "callback_form": CallbackForm(), "members": members, "entitlements": entitlements,
        "satisfactions": Satisfaction.choices})


@login_required
@require_POST
def caller(request, pk: int):
    """HTMX: the caller's full name and phone for the handler; the view is audited."""
    t = _ticket(request, pk)
    try:
        name, phone = services.caller_reveal(actor=request.user, ticket=t)
    except NotFoundOrForbidden:
        raise Http404 from None
    return render(request, "hotline/_caller.html", {"name": name, "phone": phone})


def _form(form_class, request):
    form = form_class(request.POST)
    if not form.is_valid():
        raise DomainError(errors_text(form))
    return form.cleaned_data


def _link(request, t):
    number = _form(LinkForm, request)["household_number"].strip()
    hh = Household.objects.restrict(request.user, Action.VIEW).filter(number=number).first()
    if hh is None:
        raise NotFoundOrForbidden(_("未找到户编号为“%(n)s”的家庭，或不在您的辖区内") % {"n": number})
    return services.ticket_link(actor=request.user, ticket=t, household=hh)


def _application(request, t):
    d = _form(ApplicationForm, request)
    applicant = Membership.objects.filter(household_id=t.household_id, person_id=d["applicant"]) \
        .select_related("person").first()
    if applicant is None:
        raise DomainError(_("请选择申请人"))
    app = services.ticket_to_application(actor=request.user, ticket=t, applicant=applicant.person,
                                         programs=d["programs"], commitment_signed=d["commitment"])
    messages.success(request, _("已转为救助申请 %(n)s") % {"n": app.number})


def _review(request, t):
    d = _form(ReviewForm, request)
    ent = Entitlement.objects.restrict(request.user, Action.CHANGE).filter(
        pk=d["entitlement"], household_id=t.household_id).first()
    if ent is None:
        raise NotFoundOrForbidden(_("未找到该救助待遇，或不在您的辖区内"))
    services.ticket_open_review(actor=request.user, ticket=t, entitlement=ent)
    messages.success(request, _("已启动对该待遇的核查"))


def _transfer(request, t):
    d = _form(TransferForm, request)
    services.ticket_transfer(actor=request.user, ticket=t, to_region=d["to_region"], reason=d["reason"])


def _callback(request, t):
    services.ticket_callback(actor=request.user, ticket=t, **_form(CallbackForm, request))


STEPS = {
    "accept": lambda r, t: services.ticket_accept(actor=r.user, ticket=t),
    "respond": lambda r, t: services.ticket_respond(actor=r.user, ticket=t, text=r.POST.get("text", "")[:4000]),
    "resolve": lambda r, t: services.ticket_resolve(actor=r.user, ticket=t, reply=r.POST.get("reply", "")[:4000]),
    "callback": _callback,
    "transfer": _transfer,
    "link": _link,
    "application": _application,
    "review": _review,
}


@login_required
@require_POST
def ticket_act(request, pk: int, step: str):
    if step not in STEPS:
        raise Http404
    t = _ticket(request, pk)
    try:
        STEPS[step](request, t)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已保存"))
    if not selectors.ticket_list(actor=request.user).filter(pk=pk).exists():
        return redirect("hotline:list")  # transferred out of the user's area
    return redirect("hotline:detail", pk=pk)


@login_required
def ticket_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, errors_text(form))
        else:
            f = form.cleaned_data["file"]
            try:
                r = services.ticket_import_12345(actor=request.user, content=f.read(), filename=f.name)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("导入 %(c)d 条工单，跳过已导入 %(s)d 条") % {"c": len(r.created),
                                                                                 "s": r.skipped})
                return redirect("hotline:list")
    from doudi.hotline.services.platform import COLUMNS

    return render(request, "hotline/import.html", {"form": form, "columns": COLUMNS})


@login_required
def lines(request):
    drawn, seed = [], None
    form = LineDrawForm(request.GET or None)
    if request.GET.get("draw") and form.is_valid():
        seed = form.cleaned_data["seed"]
        seed = secrets.randbits(40) if seed is None else seed
        drawn = services.line_check_draw(actor=request.user, prefix="", count=form.cleaned_data["count"], seed=seed)
    from doudi.hotline.models import LineCheck

    checks = LineCheck.objects.restrict(request.user, Action.VIEW).select_related("line__region", "checked_by")[:30]
    return render(request, "hotline/lines.html", {"lines": selectors.lines_in(actor=request.user), "drawn": drawn,
                                                  "seed": "" if seed is None else seed, "checks": checks,
                                                  "form": LineCheckForm()})


class CheckSeedForm(PostedForm):
    # The draw's seed carried by the list (LineDrawForm: 0..10**15, at most 16 digits). It was cut to 15 characters,
    # which recorded a wrong seed for 10**15; a longer value is now refused.
    seed = PostedText(max_length=16, label=gettext_lazy("随机种子"))

    def clean(self):
        d = super().clean()
        if "seed" in d:  # (absent when too long)
            seed = d["seed"]
            d["seed"] = int(seed) if seed.isascii() and seed.isdigit() else None  # not a number: no seed, as before
        return d


@login_required
@require_POST
def line_check(request, pk: int):
    form = LineCheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_text(form))
        return redirect("hotline:lines")
    try:
        services.line_check_record(actor=request.user, line=pk, **CheckSeedForm(request.POST).cleaned(),
                                   **form.cleaned_data)
        messages.success(request, _("已记录抽查结果"))
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("hotline:lines")


def public_form(request):
    """阳光救助 留言: no login. Only what the caller chooses to give; the answer comes by phone or at the township."""
    form = PublicTicketForm(request.POST or None)
    done = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            done = services.ticket_submit_public(data=TicketInput(
                kind=d["kind"], channel="web", summary=d["summary"], region=d["region"],
                caller_name=d["caller_name"], caller_phone=d["caller_phone"], anonymous=not d["caller_name"]))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            form = PublicTicketForm()
    return render(request, "hotline/public.html", {"form": form, "done": done})
