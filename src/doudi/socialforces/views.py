"""Social-forces screens: one overview of the register, needs and resources, purchase contracts (with the year's
position against the profile's cap and share) and donations; each form posts to one small view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.core.errors import DomainError
from doudi.core.forms import errors_text
from doudi.core.posted import PostedForm, PostedText
from doudi.regions.models import Region
from doudi.socialforces import forms, selectors
from doudi.socialforces.models import Organisation, Resource
from doudi.socialforces.services import donations, matching, purchase, register


def _granted(user, action: str) -> list[Region]:
    """Every region the user holds ``action`` in (one per grant, widest first)."""
    return list(Region.objects.filter(code__in=[p.ljust(12, "0") for p in region_prefixes(user, action)])
                .order_by("code"))


class RegionPick(PostedForm):
    region = PostedText()  # a 12-digit region code from the picker; empty: the user's only granted region


def _acting_region(request) -> Region | None:
    """The region a new row is filed under: the one chosen in the form's region picker, or the user's only granted
    region. A user with several grants must choose (None); the services still check the region is theirs."""
    code = RegionPick(request.POST).cleaned()["region"]
    if code:  # a longer code is no region ("请选择所属辖区"), no longer cut to its first 12 characters
        return Region.objects.filter(pk=code).first() if len(code) <= 12 else None
    granted = _granted(request.user, Action.CHANGE)
    return granted[0] if len(granted) == 1 else None


# Actions that create a row filed under a region (the rest act on a row by its id, scoped by the service).
FILED_UNDER_REGION = ("organisation", "helper", "resource", "contract", "donation")


def _orgs(user):
    return [(o.pk, o.name) for o in Organisation.objects.restrict(user, Action.VIEW)]


@login_required
def home(request):
    data = selectors.overview(actor=request.user)
    positions = []  # the year's purchase position of each granted region that buys services (county and above)
    for region in _granted(request.user, Action.VIEW):
        if region.level in ("province", "city", "county"):
            check, info = purchase.purchase_position(actor=request.user, region=region,
                                                     year=timezone.localdate().year)
            positions.append({"region": region, "check": check, **info})
    resource_choices = [(r.pk, f"{r.organisation.name} · {r.title}") for r in data["resources"]]
    contract_form, resource_form = forms.ContractForm(), forms.ResourceForm()
    contract_form.fields["organisation"].choices = resource_form.fields["organisation"].choices = _orgs(request.user)
    match_form = forms.MatchForm()
    match_form.fields["resource"].choices = resource_choices
    return render(request, "socialforces/home.html", {
        **data, "positions": positions, "org_form": forms.OrganisationForm(),
        "helper_form": forms.HelperForm(), "hours_form": forms.HoursForm(), "resource_form": resource_form,
        "match_form": match_form, "deliver_form": forms.DeliverForm(), "feedback_form": forms.FeedbackForm(),
        "contract_form": contract_form, "donation_form": forms.DonationForm(), "use_form": forms.DonationUseForm(),
        "pay_form": forms.ContractPaymentForm()})


def _run(request, form, call) -> None:
    if form is not None and not form.is_valid():
        messages.error(request, errors_text(form))
        return
    try:
        call(form.cleaned_data if form is not None else {})
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("已保存"))


@login_required
@require_POST
def act(request, action: str, pk: int = 0):
    u, post = request.user, request.POST
    if not region_prefixes(u, Action.CHANGE):
        raise Http404
    region = _acting_region(request) if action in FILED_UNDER_REGION else None
    if action in FILED_UNDER_REGION and region is None:
        messages.error(request, _("请选择所属辖区"))
        return redirect("socialforces:home")
    handlers = {
        "organisation": (forms.OrganisationForm, lambda d: register.organisation_register(actor=u, region=region, **d)),
        "helper": (forms.HelperForm, lambda d: register.helper_register(actor=u, region=region, **d)),
        "hours": (forms.HoursForm, lambda d: register.hours_record(actor=u, helper=pk, **d)),
        "resource": (forms.ResourceForm, lambda d: matching.resource_create(actor=u, region=region, **d)),
        "match": (forms.MatchForm, lambda d: matching.match_create(actor=u, need=pk, resource=d["resource"])),
        "deliver": (forms.DeliverForm, lambda d: matching.match_deliver(actor=u, match=pk, **d)),
        "feedback": (forms.FeedbackForm, lambda d: matching.match_feedback(actor=u, match=pk, **d)),
        "contract": (forms.ContractForm, lambda d: purchase.contract_sign(
            actor=u, region=region, organisation=d["organisation"], terms=purchase.ContractTerms(
                title=d["title"], year=d["year"], amount_fen=d["amount"], start_date=d["start_date"],
                end_date=d["end_date"]))),
        "donation": (forms.DonationForm, lambda d: donations.donation_receive(
            actor=u, region=region, donor=d["donor"], received_on=d["received_on"],
            amount_fen=d["amount"], purpose=d["purpose"])),
        "use": (forms.DonationUseForm, lambda d: donations.donation_use(
            actor=u, donation=pk, used_on=d["used_on"], amount_fen=d["amount"], purpose=d["purpose"])),
        "pay": (forms.ContractPaymentForm, lambda d: purchase.contract_pay(
            actor=u, contract=pk, paid_on=d["paid_on"], amount_fen=d["amount"], note=d["note"])),
        # money needs two people: a second person confirms what one recorded
        "confirm_payment": (None, lambda d: purchase.contract_payment_confirm(actor=u, payment=pk)),
        "confirm_donation": (None, lambda d: donations.donation_confirm(actor=u, donation=pk)),
        "confirm_use": (None, lambda d: donations.donation_use_confirm(actor=u, use=pk)),
        "disclose": (None, lambda d: donations.donation_disclose(actor=u, donation=pk,
                                                                 disclosed_on=timezone.localdate())),
    }
    if action not in handlers:
        raise Http404
    form_class, call = handlers[action]
    form = form_class(post) if form_class else None
    if form is not None and "organisation" in form.fields:
        form.fields["organisation"].choices = _orgs(u)
    if form is not None and "resource" in form.fields:
        form.fields["resource"].choices = [(r.pk, r.title) for r in Resource.objects.restrict(u, Action.VIEW)]
    _run(request, form, call)
    return redirect("socialforces:home")
