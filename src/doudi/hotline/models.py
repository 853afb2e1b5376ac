"""Tickets (工单) of the social-assistance hotline and the 12345 platform, their event trail, the hotline lines of
each area and the random call-backs that check the lines answer (seed 002 一(三): 不定期抽查各地热线电话畅通性).

A ticket is filed under the area that handles it (``region``: a province, city, county or township); transfer moves
it, escalation (督办) names the level above that must watch it without moving it. The caller's name and phone are
personal data: lists mask them, and for a complaint or a report only the handler and the person who took the call
see them (``caller_visible_to``); audit rows never carry them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department
from doudi.accounts.scoping import RestrictedManager, RestrictedQuerySet
from doudi.hotline.choices import (
    OPEN_STATUSES,
    Channel,
    EventKind,
    LineResult,
    Satisfaction,
    Status,
    TicketKind,
    Topic,
)

USER = settings.AUTH_USER_MODEL
# Kinds whose caller is protected: a reporter's identity is known only to the handler (national-rules §12).
PROTECTED_KINDS = frozenset({TicketKind.COMPLAINT, TicketKind.REPORT})


class TicketQuerySet(RestrictedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date):
        """Open tickets past a due date of a stage they have not reached."""
        return self.open().filter(
            Q(status=Status.RECEIVED, acknowledge_due__lt=today)
            | Q(status=Status.ACCEPTED, response_due__lt=today)
            | Q(resolution_due__lt=today)
        )


class Ticket(models.Model):
    number = models.CharField(_("工单编号"), max_length=24, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=TicketKind.choices)
    channel = models.CharField(_("来源渠道"), max_length=8, choices=Channel.choices)
    topic = models.CharField(_("事项类别"), max_length=12, choices=Topic.choices, default=Topic.OTHER)
    urgent = models.BooleanField(_("紧急"), default=False)
    summary = models.TextField(_("诉求内容"))
    caller_name = models.CharField(_("来电（信、访）人"), max_length=50, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    anonymous = models.BooleanField(_("匿名"), default=False)
    external_ref = models.CharField(_("12345工单号"), max_length=40, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("承办区划"), on_delete=models.PROTECT,
                               related_name="+")
    department = models.CharField(_("承办部门"), max_length=32, choices=Department.choices,
                                  default=Department.CIVIL_AFFAIRS)
    household = models.ForeignKey("registry.Household", verbose_name=_("关联家庭"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("关联案件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("被举报的救助待遇"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    subject_staff = models.ForeignKey(USER, verbose_name=_("被投诉工作人员"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    application = models.ForeignKey("cases.Application", verbose_name=_("转成的救助申请"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    review = models.ForeignKey("reviews.ReviewTask", verbose_name=_("启动的核查"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    handler = models.ForeignKey(USER, verbose_name=_("承办人"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    received_at = models.DateTimeField(_("登记时间"))
    acknowledge_due = models.DateField(_("受理期限"), null=True, blank=True)
    response_due = models.DateField(_("首次答复期限"), null=True, blank=True)
    resolution_due = models.DateField(_("办结期限"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    escalated_to = models.ForeignKey("regions.Region", verbose_name=_("督办区划"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    reply = models.TextField(_("答复内容"), blank=True)
    satisfaction = models.CharField(_("回访满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    scope_path = "region__code"
    objects = RestrictedManager.from_queryset(TicketQuerySet)()

    class Meta:
        verbose_name = _("热线工单")
        verbose_name_plural = _("热线工单")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_ref"], condition=~Q(external_ref=""),
                                    name="hotline_one_ticket_per_platform_order"),
        ]
        indexes = [models.Index(fields=["status", "resolution_due"])]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def protects_caller(self) -> bool:
        return self.kind in PROTECTED_KINDS

    def caller_visible_to(self, user) -> bool:
        """A complaint's or a report's caller is known only to the handler and the person who took the call."""
        if not self.protects_caller:
            return True
        uid = getattr(user, "pk", None)
        return uid is not None and uid in (self.handler_id, self.created_by_id)

    def stage_due(self) -> dt.date | None:
        """The due date of the next step: receipt, first answer or resolution."""
        if self.status == Status.RECEIVED:
            return self.acknowledge_due
        if self.status == Status.ACCEPTED:
            return self.response_due
        return self.resolution_due if self.is_open else None

    def is_overdue(self, today: dt.date) -> bool:
        due = self.stage_due()
        late_resolution = self.is_open and self.resolution_due is not None and self.resolution_due < today
        return (due is not None and due < today) or late_resolution


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, verbose_name=_("工单"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=16, choices=EventKind.choices)
    from_region = models.ForeignKey("regions.Region", verbose_name=_("原区划"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey("regions.Region", verbose_name=_("新区划"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    scope_path = "ticket__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("工单办理记录")
        verbose_name_plural = _("工单办理记录")
        ordering = ["at", "id"]


class HotlineLine(models.Model):
    """A published hotline number of one area (public information, shown on the openness pages)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("名称"), max_length=60)
    number = models.CharField(_("电话号码"), max_length=20)
    hours = models.CharField(_("值守时间"), max_length=60, blank=True)
    active = models.BooleanField(_("在用"), default=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("救助热线")
        verbose_name_plural = _("救助热线")
        ordering = ["region_id", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.number}"


class LineCheck(models.Model):
    """One call made to check that a line answers (不定期抽查热线畅通性、有效性, seed 002 一(三))."""

    line = models.ForeignKey(HotlineLine, verbose_name=_("被抽查热线"), on_delete=models.CASCADE,
                             related_name="checks")
    draw_seed = models.BigIntegerField(_("抽取种子"), null=True, blank=True)
    called_at = models.DateTimeField(_("拨打时间"))
    result = models.CharField(_("结果"), max_length=12, choices=LineResult.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    checked_by = models.ForeignKey(USER, verbose_name=_("抽查人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    scope_path = "line__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("热线抽查记录")
        verbose_name_plural = _("热线抽查记录")
        ordering = ["-called_at", "-id"]
