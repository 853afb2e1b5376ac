from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportMode(models.TextChoices):
    """特困人员供养方式 (S2 Art 19; [002] 二(二): 有集中供养意愿的 100% 入住)."""

    INSTITUTIONAL = "institutional", _("集中供养")
    DISPERSED = "dispersed", _("分散供养")


class CarerKind(models.TextChoices):
    RELATIVE = "relative", _("亲属")
    NEIGHBOUR = "neighbour", _("邻居")
    VILLAGE_CADRE = "village_cadre", _("村（社区）干部")
    ORGANISATION = "organisation", _("服务机构")


class AgreementStatus(models.TextChoices):
    # Signed by the caseworker, approved by a second person before any fee is paid (maker-checker).
    DRAFT = "draft", _("待审核")
    ACTIVE = "active", _("履行中")
    WARNED = "warned", _("已警告")
    ENDED = "ended", _("已终止")


class EndReason(models.TextChoices):
    EXPIRED = "expired", _("期满")
    FAILED = "failed", _("未按协议履行职责")  # [002] 二(二)
    CARER_UNABLE = "carer_unable", _("照料人无法继续照料")
    MOVED_TO_INSTITUTION = "institution", _("转为集中供养")
    DEATH = "death", _("供养对象死亡")
    OTHER = "other", _("其他")


class VisitGroup(models.TextChoices):
    """探访关爱对象类别 ([001] 10; [002] 二(二)). Each has its interval in the profile (``care.visit_days.<group>``)."""

    DISPERSED_TEKUN = "dispersed_tekun", _("分散供养特困人员")
    ELDERLY_ALONE = "elderly_alone", _("独居、空巢等特殊困难老年人")
    LEFT_BEHIND_CHILD = "left_behind_child", _("农村留守儿童")
    LEFT_BEHIND_ELDERLY = "left_behind_elderly", _("农村留守老年人")
    SEVERE_DISABLED = "severe_disabled", _("低收入家庭重度残疾人")


class VisitMethod(models.TextChoices):
    HOME = "home", _("上门入户")
    PHONE = "phone", _("电话视频")
    REMOTE = "remote", _("远程监测")


class NeedFound(models.TextChoices):
    """What a visit found, and where it goes: a referral to a department, a temporary-assistance application or a
    monitoring warning (both confirmed by the township, 一上一下), or a service need on the social-forces list."""

    NONE = "", _("未发现新需求")
    MEDICAL = "medical", _("就医需求（转医保部门）")
    EDUCATION = "education", _("就学需求（转教育部门）")
    HOUSING = "housing", _("住房安全（转住建部门）")
    EMPLOYMENT = "employment", _("就业需求（转人社部门）")
    TEMPORARY = "temporary", _("生活急难，需临时救助")
    WARNING = "warning", _("家庭情况变化，纳入监测预警")
    SERVICE = "service", _("照料、陪伴等服务需求（社会力量）")


REFERRAL_NEEDS = ("medical", "education", "housing", "employment")


class CheckLevel(models.TextChoices):
    """照护机构“3+1”监管 ([004] 六): 县级月抽测、镇级周检查、村级日巡查、中介机构年评估."""

    COUNTY = "county", _("县级抽测")
    TOWNSHIP = "township", _("镇级检查")
    VILLAGE = "village", _("村级巡查")
    THIRD_PARTY = "third_party", _("第三方评估")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("合格")
    ISSUES = "issues", _("发现问题")


class InstitutionKind(models.TextChoices):
    NURSING_HOME = "nursing_home", _("特困人员供养服务机构（敬老院）")
    CARE_HOME = "care_home", _("失能特困人员养护院")
    PRIVATE = "private", _("社会办照护机构")
