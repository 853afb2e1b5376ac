"""The audit log for auditors and administrators, scoped to their jurisdiction like every other read."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action, Role
from doudi.audit.models import AuditAction, AuditEvent

PAGE_SIZE = 50
AUDIT_ROLES = {Role.AUDITOR, Role.ADMINISTRATOR}


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("终止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    who = forms.CharField(label=_("操作人"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部操作")), *AuditAction.choices]


@login_required
def event_list(request):
    # Caseworkers also hold view_full on their records; reading the log itself is for supervisors only.
    if not (request.user.roles & AUDIT_ROLES):
        raise Http404
    qs = AuditEvent.objects.restrict(request.user, Action.VIEW_FULL)
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["date_from"]:
            qs = qs.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            qs = qs.filter(at__date__lte=data["date_to"])
        if data["who"]:
            qs = qs.filter(actor_name__contains=data["who"])
    page = Paginator(qs.order_by("-at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "audit/event_list.html", {"form": form, "page": page, "querystring": params.urlencode()})
