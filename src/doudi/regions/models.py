"""The jurisdiction tree: province → city → county → township → village/community.

The primary key is the 12-digit statistical division code, so "everything under this county" is a prefix match on
an indexed column, with no recursive query and no join (households carry the village code as their foreign key).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.regions.choices import LEVEL_ORDER, PREFIX_LENGTH, AreaType, Level


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area_type = models.CharField(_("城乡"), max_length=5, choices=AreaType.choices, default=AreaType.RURAL)
    # The policy profile (e.g. "hulunbuir") in force here; empty means inherit from the parent.
    profile = models.CharField(_("政策配置"), max_length=64, blank=True)
    # The office that acts for this region on paper (公示的发布单位, 通知书的落款): e.g. 奋斗镇人民政府, 海拉尔区民政局.
    # Empty: named from the region (``office``). Data, not code: each locality enters its own.
    office_name = models.CharField(_("办理机关名称"), max_length=100, blank=True)
    office_phone = models.CharField(_("监督投诉电话"), max_length=40, blank=True)
    # 机关代字 of the unit's document numbers (文号), e.g. 海民救 → 海民救〔2026〕12号.
    doc_prefix = models.CharField(_("文号机关代字"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[self.level]]

    def clean(self) -> None:
        if len(self.code) != 12 or not self.code.isdigit():
            raise ValidationError({"code": _("区划代码应为12位数字")})
        if self.level != Level.PROVINCE and self.parent is None:
            raise ValidationError({"parent": _("除省级外，必须指定上级区划")})
        if self.parent is not None:
            if LEVEL_ORDER.index(self.level) != LEVEL_ORDER.index(self.parent.level) + 1:
                raise ValidationError({"level": _("层级必须比上级低一级")})
            if not self.code.startswith(self.parent.prefix):
                raise ValidationError({"code": _("区划代码必须以上级区划代码开头")})
        tail = self.code[PREFIX_LENGTH[self.level] :]
        if tail.strip("0"):
            raise ValidationError({"code": _("该层级区划代码的末尾应补零")})

    def ancestors(self) -> list[Region]:
        """Root first, self last. The chain follows ``parent``; the regions above are read in one query (their codes
        are this code's prefixes padded with zeros), and any parent not found that way is read as before."""
        chain: list[Region] = [self]
        node = self
        above: dict[str, Region] | None = None
        parent_field = type(self).parent.field
        while node.parent_id is not None:
            if parent_field.is_cached(node):
                parent = node.parent
            else:
                if above is None:
                    codes = {self.code[:n].ljust(12, "0") for n in PREFIX_LENGTH.values()} - {self.code}
                    above = {r.code: r for r in Region.objects.filter(code__in=codes)}
                parent = above.get(node.parent_id)
                if parent is None:
                    parent = node.parent
                else:
                    parent_field.set_cached_value(node, parent)
            chain.append(parent)
            node = parent
        return list(reversed(chain))

    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors() if r.level != Level.PROVINCE)

    def effective_profile(self) -> str:
        for region in reversed(self.ancestors()):
            if region.profile:
                return region.profile
        return "national"

    @classmethod
    def profile_table(cls) -> list[tuple[str, str]]:
        """(code prefix, profile) of every region that names a profile, longest prefix first: with
        ``profile_of`` it answers ``effective_profile`` for any number of regions in one query (a region's code
        starts with each ancestor's prefix)."""
        rows = cls.objects.exclude(profile="").only("code", "level", "profile")
        return sorted(((r.prefix, r.profile) for r in rows), key=lambda row: -len(row[0]))

    def office(self) -> str:
        """The acting office's name: as entered, else the usual one of its level (乡镇人民政府/街道办事处, 民政局)."""
        if self.office_name:
            return self.office_name
        if self.level == Level.TOWNSHIP:
            return f"{self.name}办事处" if self.name.endswith("街道") else f"{self.name}人民政府"
        if self.level == Level.VILLAGE:
            return f"{self.name}委员会"
        return f"{self.name}民政局"

    def nearest_phone(self) -> str:
        """The complaint phone of this region or the nearest region above it that has one."""
        for region in reversed(self.ancestors()):
            if region.office_phone:
                return region.office_phone
        return ""

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)


def profile_of(code: str, table: list[tuple[str, str]]) -> str:
    """The effective profile of the region ``code`` from ``Region.profile_table()``: its nearest ancestor's (or its
    own) named profile, else the national one."""
    return next((profile for prefix, profile in table if code.startswith(prefix)), "national")
