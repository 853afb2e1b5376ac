"""Admin-entered dated parameter values (e.g. the official 低保 standard with its document number).

Rows are never deleted or edited in place: a correction is a new row, so the history of what was in force and
who entered it is kept. For a date covered by several rows, the newest row wins (see ``loader.Profile.resolve``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from doudi.policy.loader import (
    KEYS,
    ProfileError,
    available_profiles,
    check_consistency,
    load_profile,
    make_entry,
)
from doudi.policy.values import CARE_KEYS, MONITORING_KEYS, key_spec


def key_choices() -> list[tuple[str, str]]:
    """Every key a profile may hold: the engine's parameters, the monitoring and care keys, and each warning rule
    (``monitoring.rule.<code>``) some profile file defines — an administrator's dated value may override any of
    them, through the same validation (``clean``) and audit (``services.policy_value_add``)."""
    keys = {**KEYS, **MONITORING_KEYS, **CARE_KEYS}
    choices = [(k, f"{k} — {d}") for k, (_, d) in keys.items()]
    rules: set[str] = set()
    for name in available_profiles():
        try:
            rules.update(k for k in load_profile(name).entries if k not in keys and key_spec(k) is not None)
        except ProfileError:
            continue  # a broken file is reported where it is loaded; its keys are not offered here
    return choices + [(k, f"{k} — {key_spec(k)[1]}") for k in sorted(rules)]


class PolicyValue(models.Model):
    profile = models.CharField("政策配置", max_length=64, db_index=True)
    # A callable, so adding a parameter to the loader's KEYS needs no migration (Django 5 serialises the reference).
    key = models.CharField("参数", max_length=128, choices=key_choices)
    value = models.JSONField("取值", help_text="金额以元填写（如 900 或 \"900.50\"），比例以小数填写（如 0.25）")
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("截止日期", null=True, blank=True)
    source = models.CharField("依据文件及条款", max_length=255, blank=True)
    illustrative = models.BooleanField("示意值", default=False)
    note = models.CharField("说明", max_length=255, blank=True)
    area = models.CharField("适用地区（空=全部）", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="录入人")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    # Two people (issue 9): a value entered by an administrator takes effect only when a second one confirms it
    # (``services.policy_value_confirm``); a value loaded by the operator on the server (no web user) is confirmed
    # as it is written.
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="确认人")
    confirmed_at = models.DateTimeField("确认生效时间", null=True, blank=True)

    class Meta:
        verbose_name = "政策参数取值"
        verbose_name_plural = "政策参数取值"
        ordering = ["profile", "key", "-valid_from", "-created_at"]
        indexes = [models.Index(fields=["profile", "key", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.profile} {self.key} {self.valid_from}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def as_raw(self) -> dict:
        raw = {"value": self.value, "from": self.valid_from, "to": self.valid_to,
               "illustrative": self.illustrative}
        if self.source:
            raw["source"] = self.source
        if self.note:
            raw["note"] = self.note
        if self.area:
            raw["area"] = self.area
        return raw

    def clean(self) -> None:
        # Same validator as the YAML files: type, dates, source-or-illustrative, and the value kept within the
        # range the profile's other values set (e.g. 渐退 months between the minimum and the maximum).
        try:
            entry = make_entry(self.key, self.as_raw(), file=f"db:{self.profile}", rank=1 << 30)
            try:
                base = load_profile(self.profile)
            except ProfileError:
                return  # no such profile file: nothing to check against (the row is never used by a file profile)
            rows = PolicyValue.objects.filter(profile=self.profile).exclude(pk=self.pk).order_by("created_at", "id")
            existing = [make_entry(r.key, r.as_raw(), file=f"db:{r.pk}", rank=i + 1) for i, r in enumerate(rows)]
            check_consistency(base.with_overrides([*existing, entry]))
        except ProfileError as e:
            raise ValidationError(str(e)) from None

    def delete(self, *args, **kwargs):
        raise ValidationError("政策参数历史不可删除；请新增一条取值覆盖")
