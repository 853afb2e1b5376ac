from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department, Role


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    department = models.CharField(
        _("所属部门"), max_length=32, choices=Department.choices, default=Department.CIVIL_AFFAIRS
    )
    # The area the user's account belongs to (所属辖区): who may manage the account. An administrator manages the
    # users whose area and every grant lie inside their own administrator grant (administration.authority).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所属辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An applicant's own registry record: the only household an applicant can ever see.
    person = models.OneToOneField(
        "registry.Person", verbose_name=_("本人档案"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def roles(self) -> set[str]:
        cached = getattr(self, "_doudi_roles", None)
        if cached is None:
            cached = set(self.grants.values_list("role", flat=True))
            if self.person_id:
                cached.add(Role.APPLICANT)
            self._doudi_roles = cached
        return cached


class RegionGrant(models.Model):
    """A user may act in this region's subtree in this role. No grant, no rows (fail closed)."""

    user = models.ForeignKey(User, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="grants")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("辖区授权")
        verbose_name_plural = _("辖区授权")
        constraints = [models.UniqueConstraint(fields=["user", "region", "role"], name="unique_grant")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"
