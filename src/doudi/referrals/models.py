"""Referrals to other departments (推送转办、分口施救) and their answers (一门反馈).

A referral names the household and, loosely, the application (``application_id``); it never imports the case app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department, Role
from doudi.accounts.permissions import role_allows
from doudi.accounts.scoping import RestrictedManager, RestrictedQuerySet, applicant_person_id
from doudi.referrals.choices import FINAL_STATUSES, NeedType, ReferralStatus

# Referral actions. "answer" (receive, progress, answer, decline) belongs to the responsible department only.
VIEW = "view"
CREATE = "change"
ANSWER = "answer"
DEPARTMENT_ACTIONS = frozenset({VIEW, ANSWER})


class ReferralQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Civil-affairs roles: region scope, as everywhere. Department staff: region scope AND their own department,
        for viewing and answering only — a medical-security user never sees an education referral."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        combined: Q | None = None
        for grant in user.grants.select_related("region"):
            prefix = grant.region.prefix
            if grant.role == Role.DEPARTMENT:
                if action not in DEPARTMENT_ACTIONS or not user.department:
                    continue
                q = Q(region__code__startswith=prefix, department=user.department)
            elif action != ANSWER and role_allows(grant.role, action):
                q = Q(region__code__startswith=prefix)
            else:
                continue
            combined = q if combined is None else combined | q
        person_id = applicant_person_id(user, action)
        if person_id is not None and action == VIEW:
            from doudi.registry.models import Membership

            own = Q(household_id__in=Membership.objects.filter(person_id=person_id).values("household_id"))
            combined = own if combined is None else combined | own
        return self.none() if combined is None else self.filter(combined)

    def overdue(self, today: dt.date):
        return self.filter(deadline__lt=today).exclude(status__in=FINAL_STATUSES)


class Referral(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="referrals"
    )
    application_id = models.PositiveBigIntegerField(_("申请编号"), null=True, blank=True, db_index=True)
    need_type = models.CharField(_("救助需求"), max_length=16, choices=NeedType.choices)
    need_detail = models.CharField(_("需求说明"), max_length=500, blank=True)
    department = models.CharField(_("承办部门"), max_length=32, choices=Department.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    deadline = models.DateField(_("办理期限"))
    answer = models.TextField(_("办理结果"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("推送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("推送时间"), auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager.from_queryset(ReferralQuerySet)()

    class Meta:
        verbose_name = _("转办事项")
        verbose_name_plural = _("转办事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_need_type_display()}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status not in FINAL_STATUSES and self.deadline < today


class ReferralTransition(models.Model):
    referral = models.ForeignKey(
        Referral, verbose_name=_("转办事项"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ReferralStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    scope_path = "referral__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("转办流转记录")
        verbose_name_plural = _("转办流转记录")
        ordering = ["referral", "at", "id"]
