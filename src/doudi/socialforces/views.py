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
from doudi.regions.models import Region
from doudi.socialforces import forms, selectors
from doudi.socialforces.forms import yuan_to_fen
from doudi.socialforces.models import Organisation, Resource
from doudi.socialforces.services import donations, matching, purchase, register


def _region(user, action: str = Action.CHANGE) -> Region | None:
    prefixes = region_prefixes(user, action)
    return Region.objects.filter(code=prefixes[0].ljust(12, "0")).first() if prefixes else None


def _orgs(user):
    return [(o.pk, o.name) for o in Organisation.objects.restrict(user, Action.VIEW)]


@login_required
def home(request):
    data = selectors.overview(actor=request.user)
    region = _region(request.user, Action.VIEW)
    position = None
    if region is not None and region.level in ("province", "city", "county"):
        check, info = purchase.purchase_position(actor=request.user, region=region, year=timezone.localdate().year)
        position = {"check": check, **info}
    resource_choices = [(r.pk, f"{r.organisation.name} · {r.title}") for r in data["resources"]]
    contract_form, resource_form = forms.ContractForm(), forms.ResourceForm()
    contract_form.fields["organisation"].choices = resource_form.fields["organisation"].choices = _orgs(request.user)
    match_form = forms.MatchForm()
    match_form.fields["resource"].choices = resource_choices
    return render(request, "socialforces/home.html", {
        **data, "region": region, "position": position, "org_form": forms.OrganisationForm(),
        "helper_form": forms.HelperForm(), "hours_form": forms.HoursForm(), "resource_form": resource_form,
        "match_form": match_form, "deliver_form": forms.DeliverForm(), "feedback_form": forms.FeedbackForm(),
        "contract_form": contract_form, "donation_form": forms.DonationForm(), "use_form": forms.DonationUseForm()})


def _run(request, form, call) -> None:
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return
    try:
        call(form.cleaned_data)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("已保存"))


@login_required
@require_POST
def act(request, action: str, pk: int = 0):
    u, region, post = request.user, _region(request.user), request.POST
    if region is None:
        raise Http404
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
                title=d["title"], year=d["year"], amount_fen=yuan_to_fen(d["amount"]), start_date=d["start_date"],
                end_date=d["end_date"]))),
        "donation": (forms.DonationForm, lambda d: donations.donation_receive(
            actor=u, region=region, donor=d["donor"], received_on=d["received_on"],
            amount_fen=yuan_to_fen(d["amount"]), purpose=d["purpose"])),
        "use": (forms.DonationUseForm, lambda d: donations.donation_use(
            actor=u, donation=pk, used_on=d["used_on"], amount_fen=yuan_to_fen(d["amount"]), purpose=d["purpose"])),
        "disclose": (None, lambda d: donations.donation_disclose(actor=u, donation=pk,
                                                                 disclosed_on=timezone.localdate())),
    }
    if action not in handlers:
        raise Http404
    form_class, call = handlers[action]
    form = form_class(post) if form_class else None
    if form is not None:
        for name in ("organisation",):
            if name in form.fields:
                form.fields[name].choices = _orgs(u)
        if "resource" in form.fields:
            form.fields["resource"].choices = [(r.pk, r.title) for r in Resource.objects.restrict(u, Action.VIEW)]
        _run(request, form, call)
    else:
        try:
            call({})
        except DomainError as err:
            messages.error(request, err.message)
    return redirect("socialforces:home")
