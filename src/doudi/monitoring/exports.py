"""Excel/CSV exports of the monitoring lists, through the project's one export writer (``core.exports``): scoped
with the export action, filtered like the screen, audited, ID numbers masked; no health detail in any column."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action
from doudi.audit.list_export import list_export
from doudi.core.exports import Column
from doudi.core.money import format_yuan
from doudi.monitoring import selectors
from doudi.monitoring.selectors import AlertFilters

# Exports carry no health data: a warning raised from medical or disability data is named only generically.
HEALTH_TITLE = _("涉及健康信息的预警（详情请在系统内查看）")


@login_required
def alert_export(request, fmt: str):
    filters = AlertFilters.from_query(request.GET)
    qs = selectors.alert_list(actor=request.user, filters=filters, today=timezone.localdate(), action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="monitoring-alerts", title=str(_("动态监测预警")),
        object_type="monitoring.alert", queryset=qs, filters=filters.__dict__,
        columns=[Column(_("预警事项"), 28), Column(_("等级"), 8), Column(_("户编号"), 20),
                 Column(_("村（社区）"), 14), Column(_("相关人员"), 10), Column(_("所属月份"), 10),
                 Column(_("预警说明"), 36), Column(_("建议处置"), 16), Column(_("状态"), 14),
                 Column(_("办理期限"), 12), Column(_("处置结果"), 14)],
        row=lambda a: [str(HEALTH_TITLE) if a.health else a.rule_title, a.get_severity_display(), a.household.number,
                       a.region.name, a.person.name if a.person else "", a.period.strftime("%Y-%m"),
                       "" if a.health else a.detail,
                       a.get_suggested_display(), a.get_status_display(), a.deadline, a.get_outcome_display()],
    )


@login_required
def lowincome_export(request, fmt: str):
    category, region = request.GET.get("category", ""), request.GET.get("region", "")
    qs = selectors.lowincome_list(actor=request.user, category=category, region=region, today=timezone.localdate(),
                                  action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="lowincome", title=str(_("低收入人口")), object_type="monitoring.lowincome",
        queryset=qs, filters={"category": category, "region": region},
        columns=[Column(_("姓名"), 10), Column(_("身份证号码"), 22), Column(_("户编号"), 20),
                 Column(_("村（社区）"), 14), Column(_("类别"), 16), Column(_("纳入日期"), 12),
                 Column(_("纳入原因"), 36)],
        row=lambda r: [r.person.name, r.person.id_number, r.household.number, r.region.name,
                       r.get_category_display(), r.valid_from, r.reason],
    )


@login_required
def unenrolled_export(request, fmt: str):
    qs = selectors.unenrolled(actor=request.user, action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="unenrolled", title=str(_("符合条件尚未纳入")),
        object_type="monitoring.screening", queryset=qs, filters={},
        columns=[Column(_("户编号"), 20), Column(_("村（社区）"), 14), Column(_("测算结论"), 20),
                 Column(_("计入人数"), 8), Column(_("可计算月收入（元）"), 14), Column(_("测算日期"), 12)],
        row=lambda s: [s.household.number, s.region.name, "、".join(
            x for x, ok in (("低保", s.dibao_eligible), ("特困", s.tekun_eligible)) if ok), s.counted_members,
            format_yuan(s.income_fen), s.as_of],
    )


@login_required
def identification_export(request, fmt: str):
    state = request.GET.get("state", "")
    qs = selectors.identification_list(actor=request.user, state=state, action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="identifications", title=str(_("低收入家庭认定")),
        object_type="monitoring.identification", queryset=qs, filters={"state": state},
        columns=[Column(_("认定编号"), 18), Column(_("户编号"), 20), Column(_("村（社区）"), 14),
                 Column(_("类别"), 16), Column(_("来源"), 10), Column(_("状态"), 16),
                 Column(_("提出人"), 12), Column(_("审批人"), 12)],
        row=lambda i: [i.number, i.household.number, i.region.name, i.get_category_display(),
                       i.get_channel_display(), i.get_state_display(), str(i.proposed_by),
                       str(i.decided_by or "")],
    )


@login_required
def plan_export(request, fmt: str):
    status = request.GET.get("status", "")
    qs = selectors.plan_list(actor=request.user, status=status, action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="plans", title=str(_("一户一策")), object_type="monitoring.householdplan",
        queryset=qs, filters={"status": status},
        columns=[Column(_("户编号"), 20), Column(_("村（社区）"), 14), Column(_("困难与需求"), 40),
                 Column(_("状态"), 10), Column(_("下次回访"), 12)],
        row=lambda p: [p.household.number, p.region.name, p.needs, p.get_status_display(), p.next_follow_up],
    )


@login_required
def batch_export(request, fmt: str):
    qs = selectors.batch_list(actor=request.user, action=Action.EXPORT)
    return list_export(
        actor=request.user, fmt=fmt, name="feed-batches", title=str(_("部门数据批次")),
        object_type="monitoring.feedbatch", queryset=qs, filters={},
        columns=[Column(_("数据类别"), 18), Column(_("报送部门"), 14), Column(_("报送辖区"), 12),
                 Column(_("所属月份"), 10), Column(_("文件名"), 24), Column(_("记录数"), 8),
                 Column(_("匹配辖区人员"), 10), Column(_("报送人"), 12), Column(_("报送时间"), 18)],
        row=lambda b: [b.feed, b.get_department_display(), b.region.name, b.period.strftime("%Y-%m"), b.filename,
                       b.row_count, b.matched_count, str(b.uploaded_by or ""), b.uploaded_at],
    )
