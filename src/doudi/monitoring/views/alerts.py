"""Warning lists and detail (county and township): filter, push down, send back, confirm the response."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows, region_prefixes
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.net import safe_next
from doudi.core.paging import paginate
from doudi.core.posted import PostedForm, PostedList, PostedText, posted_id
from doudi.monitoring import selectors, services
from doudi.monitoring.choices import Severity, WarningSource, WarningStatus
from doudi.monitoring.forms import ReasonForm
from doudi.monitoring.models import Visit
from doudi.monitoring.selectors import AlertFilters
from doudi.monitoring.services.alerts import may_confirm
from doudi.monitoring.views import form_errors, monitoring_screen, or_404, run_service
from doudi.registry.selectors import attach_heads


@monitoring_screen
def alert_list(request):
    today = timezone.localdate()
    filters = AlertFilters.from_query(request.GET)
    page = paginate(request, selectors.alert_list(actor=request.user, filters=filters, today=today))
    return render(request, "monitoring/alert_list.html", {
        "alerts": attach_heads(page.object_list), "page": page, "f": filters, "today": today,
        "statuses": WarningStatus.choices, "severities": Severity.choices, "sources": WarningSource.choices,
        "rules": selectors.rules_seen(actor=request.user),
        "may_push": bool(region_prefixes(request.user, Action.DECIDE)),
    })


class PushForm(PostedForm):
    alert = PostedList()  # the ticked warnings; a value that is not a row id is skipped

    def clean(self):
        d = super().clean()
        d["alert"] = [pk for pk in map(posted_id, d["alert"]) if pk is not None]
        return d


@login_required
@require_POST
def alert_push(request):
    """Push the chosen warnings, or every new warning of the current filter ("全部下发")."""
    today = timezone.localdate()
    if request.POST.get("all") == "1":
        filters = AlertFilters.from_query(request.POST)
        filters = AlertFilters(**{**filters.__dict__, "status": WarningStatus.NEW})
        ids = list(selectors.alert_list(actor=request.user, filters=filters, today=today, action=Action.DECIDE)
                   .values_list("pk", flat=True)[:5000])
    else:
        ids = PushForm(request.POST).cleaned()["alert"]
    n = run_service(request, services.alert_push, actor=request.user, alerts=ids)
    if n is not None:
        messages.success(request, _("已下发 %(n)d 条预警到村（社区），办理期限按规则计算") % {"n": n})
    return redirect(safe_next(request, "monitoring:alert_list"))


@monitoring_screen
def alert_detail(request, pk: int):
    alert = or_404(selectors.alert_open, actor=request.user, pk=pk)
    return render(request, "monitoring/alert_detail.html", {
        "a": alert, "visits": alert.visits.select_related("visitor"),
        "transitions": alert.transitions.select_related("actor"), "today": timezone.localdate(),
        "may_push": alert.status == WarningStatus.NEW and allows(request.user, Action.DECIDE, alert.region_id),
        "may_confirm": alert.status == WarningStatus.VISITED and may_confirm(request.user, alert=alert),
        "may_visit": alert.status == WarningStatus.PUSHED and allows(request.user, Action.CHANGE, alert.region_id),
    })


class ConfirmForm(PostedForm):
    note = PostedText(max_length=300, label=gettext_lazy("处置说明"))  # ``Alert.outcome_note`` and the transition's


@login_required
@require_POST
def alert_action(request, pk: int, action: str):
    if action == "confirm":
        form = ConfirmForm(request.POST)
        run_service(request, lambda: services.alert_confirm(actor=request.user, alert=pk, **form.cleaned()),
                    success=_("已确认处置"))
    elif action == "return":
        form = ReasonForm(request.POST)
        if form.is_valid():
            run_service(request, services.alert_return, actor=request.user, alert=pk,
                        reason=form.cleaned_data["reason"], success=_("已退回村（社区）重新核实"))
        else:
            form_errors(request, form)
    elif action == "push":
        run_service(request, services.alert_push, actor=request.user, alerts=[pk], success=_("已下发"))
    else:
        raise Http404
    return redirect("monitoring:alert_detail", pk=pk)


@login_required
def visit_file(request, pk: int, which: str):
    """A visit's signature or photo, only to those who may see the full record; every view is audited."""
    visit = Visit.objects.restrict(request.user, Action.VIEW_FULL).filter(pk=pk).select_related("alert").first()
    if visit is None or which not in ("signature", "photo"):
        raise Http404
    stored = getattr(visit, which)
    if not stored:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.VIEW, obj=visit, region_code=visit.alert.region_id,
                 changes={"file": which})
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return FileResponse(stored.open("rb"), content_type=content_type)
