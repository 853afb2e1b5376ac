from django.db import models
from django.utils.translation import gettext_lazy as _


class Risk(models.TextChoices):
    """Which recipients may be drawn (the 随机 is within this population)."""

    ANY = "any", _("全部在保对象")
    RELATIVES = "relatives", _("近亲属备案对象")
    NEW = "new", _("近12个月新纳入对象")


class RoundStatus(models.TextChoices):
    DRAWN = "drawn", _("已抽取")
    DONE = "done", _("检查完毕")
    PUBLISHED = "published", _("结果已公开")


class Method(models.TextChoices):
    VISIT = "visit", _("入户检查")
    DOCUMENTS = "documents", _("档案材料检查")
    PHONE = "phone", _("电话核实")


class Finding(models.TextChoices):
    NONE = "none", _("未发现问题")
    INELIGIBLE = "ineligible", _("不符合保障条件")
    AMOUNT = "amount", _("救助金额有误")
    DOCUMENTS = "documents", _("档案材料不全")
    RELATIVES = "relatives", _("近亲属未备案")
    DECEASED = "deceased", _("对象死亡未停发")
    OTHER = "other", _("其他问题")


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("待检查")
    CLEAR = "clear", _("无问题")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("已整改")
