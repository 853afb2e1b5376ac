"""Export of the audit log as filtered on screen (auditors and administrators, where they hold ``export``).

The object text is already masked when an event is written; ``list_export`` masks again. Events about health
evidence (disability, illness, self-care) name a person next to a health fact, so their object text stays out of the
file: the event itself (who, when, what kind of change) is still there.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.accounts.choices import Action
from doudi.audit.list_export import list_export
from doudi.audit.models import AuditEvent
from doudi.audit.selectors import audit_event_list, may_read_log
from doudi.audit.views import AuditFilterForm, filter_kwargs
from doudi.core.exports import Column

HEALTH_OBJECT_TYPES = frozenset({"registry.disability", "registry.illness", "registry.selfcareassessment"})

COLUMNS = [
    Column(gettext_lazy("时间"), 20),
    Column(gettext_lazy("操作人"), 16),
    Column(gettext_lazy("操作"), 12),
    Column(gettext_lazy("对象"), 40),
    Column(gettext_lazy("区划"), 14),
    Column(gettext_lazy("IP地址"), 16),
]


def _row(event: AuditEvent) -> list:
    shown = _("（健康信息，导出时不显示）") if event.object_type in HEALTH_OBJECT_TYPES else event.object_repr
    return [event.at, event.actor_name, event.get_action_display(), shown, event.region_code, event.ip]


@login_required
def event_list_export(request, fmt: str):
    if not may_read_log(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = filter_kwargs(form)
    return list_export(
        actor=request.user,
        fmt=fmt,
        name="audit-log",
        title=_("审计日志"),
        object_type="audit.auditevent",
        columns=COLUMNS,
        queryset=audit_event_list(actor=request.user, action=Action.EXPORT, **filters),
        row=_row,
        filters=filters,
    )
