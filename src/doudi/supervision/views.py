"""双随机一公开 screens: rounds (draw a new one), a round's items and its re-run check, the inspection record on the
phone, corrective actions, publication."""

from __future__ import annotations

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
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.forms import errors_text
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedText
from doudi.supervision import selectors, services
from doudi.supervision.forms import ItemForm, RoundForm
from doudi.supervision.services.rounds import RoundInput


@login_required
def round_list(request):
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                rnd = services.round_draw(actor=request.user, data=RoundInput(
                    region=d["region"], title=d["title"], program=d["program"], risk=d["risk"],
                    sample_size=d["sample_size"], seed=d["seed"]))
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已随机抽取 %(n)d 户，种子 %(s)d") % {"n": rnd.items.count(),
                                                                             "s": rnd.seed})
                return redirect("supervision:round_detail", pk=rnd.pk)
        else:
            messages.error(request, errors_text(form))
    page = paginate(request, selectors.round_list(actor=request.user))
    return render(request, "supervision/round_list.html", {
        "page": page, "rounds": page.object_list, "form": form,
        "can_draw": form.fields["region"].queryset.exists(), "mine": selectors.my_items(actor=request.user)})


def _round(request, pk: int):
    try:
        return selectors.round_get(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None


@login_required
def round_detail(request, pk: int):
    rnd = _round(request, pk)
    page = paginate(request, selectors.items_for(actor=request.user, round=rnd))
    return render(request, "supervision/round_detail.html", {
        "round": rnd, "items": page.object_list, "page": page,
        "verified": services.round_verify(round=rnd) if request.GET.get("verify") else None,
        "can_publish": allows(request.user, Action.DECIDE, rnd.region_id) and rnd.status == "done"})


class PublishForm(PostedForm):
    summary = PostedText(max_length=2000, label=gettext_lazy("公开说明"))  # ``Round.public_summary``


@login_required
@require_POST
def round_publish(request, pk: int):
    rnd = _round(request, pk)
    try:
        services.round_publish(actor=request.user, round=rnd, **PublishForm(request.POST).cleaned())
        messages.success(request, _("检查结果已公开"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:round_detail", pk=pk)


@login_required
def item_detail(request, pk: int):
    try:
        item = selectors.item_view_full(actor=request.user, pk=pk)
    except NotFoundOrForbidden:
        raise Http404 from None
    form = ItemForm(request.POST or None, request.FILES or None, initial={"inspected_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.item_record(actor=request.user, item=item, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("检查记录已保存"))
                return redirect("supervision:item_detail", pk=pk)
        else:
            messages.error(request, errors_text(form))
    return render(request, "supervision/item_detail.html", {
        "item": item, "form": form, "actions": item.actions.select_related("review"),
        "inspectors": item.inspectors.all(),
        "can_change": allows(request.user, Action.CHANGE, item.household.region_id)
        or item.inspectors.filter(pk=request.user.pk).exists()})


class ActionForm(PostedForm):
    description = PostedText(max_length=2000, label=gettext_lazy("整改要求"))  # ``CorrectiveAction.description``


class ActionDoneForm(PostedForm):
    result = PostedText(max_length=2000, label=gettext_lazy("整改结果"))  # ``CorrectiveAction.result``


@login_required
@require_POST
def action_add(request, pk: int):
    try:
        services.action_add(actor=request.user, item=pk, **ActionForm(request.POST).cleaned())
        messages.success(request, _("已提出整改要求"))
    except NotFoundOrForbidden:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:item_detail", pk=pk)


@login_required
@require_POST
def action_step(request, pk: int, step: str):
    from doudi.supervision.models import CorrectiveAction

    action = CorrectiveAction.objects.restrict(request.user, Action.CHANGE).filter(pk=pk).first()
    if action is None or step not in ("done", "review"):
        raise Http404
    try:
        if step == "done":
            services.action_done(actor=request.user, action=action, **ActionDoneForm(request.POST).cleaned())
        else:
            services.action_open_review(actor=request.user, action=action)
        messages.success(request, _("已保存"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:item_detail", pk=action.item_id)
