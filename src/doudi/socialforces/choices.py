from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    CHARITY = "charity", _("慈善组织")
    SOCIAL_WORK = "social_work", _("社会工作服务机构")
    VOLUNTEER_TEAM = "volunteer_team", _("志愿服务组织")
    COMMUNITY = "community", _("社区社会组织")
    ENTERPRISE = "enterprise", _("企业及其他机构")


# Social organisations in the sense of [001] 二(五)16 (向社会组织购买): every kind but an enterprise.
SOCIAL_ORG_KINDS = (OrgKind.CHARITY, OrgKind.SOCIAL_WORK, OrgKind.VOLUNTEER_TEAM, OrgKind.COMMUNITY)


class HelperKind(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("社会工作者")
    VOLUNTEER = "volunteer", _("志愿者")


class NeedSource(models.TextChoices):
    APPLICATION = "application", _("救助申请")
    VISIT = "visit", _("探访关爱")
    MONITORING = "monitoring", _("动态监测")
    OTHER = "other", _("其他")


class NeedStatus(models.TextChoices):
    OPEN = "open", _("待对接")
    MATCHED = "matched", _("已对接")
    DELIVERED = "delivered", _("已服务")
    CLOSED = "closed", _("已反馈")


class ResourceKind(models.TextChoices):
    PROJECT = "project", _("慈善项目")
    DONATION = "donation", _("捐赠物资或资金")
    SERVICE = "service", _("专业服务")
    VOLUNTEERING = "volunteering", _("志愿服务")


class ContractStatus(models.TextChoices):
    ACTIVE = "active", _("履行中")
    COMPLETED = "completed", _("已验收")
