"""The audit log for auditors and administrators, scoped to their jurisdiction like every other read."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from doudi.audit.models import AuditAction
from doudi.audit.selectors import audit_event_list, may_read_log
from doudi.core.forms import date_input
from doudi.core.paging import paginate


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("终止日期"), required=False, widget=date_input())
    who = forms.CharField(label=_("操作人"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("全部操作")), *AuditAction.choices]


def filter_kwargs(form: AuditFilterForm) -> dict:
    """The screen's filters as selector arguments (shared with the export, so it exports what the screen shows)."""
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {"kind": data["action"], "date_from": data["date_from"], "date_to": data["date_to"], "who": data["who"]}


@login_required
def event_list(request):
    if not may_read_log(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    qs = audit_event_list(actor=request.user, **filter_kwargs(form))
    return render(request, "audit/event_list.html", {"form": form, "page": paginate(request, qs)})
