from django.db import models
from django.utils.translation import gettext_lazy as _


class Program(models.TextChoices):
    DIBAO = "dibao", _("最低生活保障")
    DIBAO_SINGLE = "dibao_single", _("最低生活保障（单人户）")
    TEKUN = "tekun", _("特困人员救助供养")
    TEMPORARY = "temporary", _("临时救助")
    MEDICAL = "medical", _("医疗救助")
    # 特困人员照料护理费 paid under a care agreement (照料服务协议, doudi.care; [001] 12, [002] 二(二)).
    CARE_FEE = "care_fee", _("特困人员照料护理费")
    # Special groups (rules.special; national-rules §11), paid per person alongside the basic-living program.
    ORPHAN = "orphan", _("孤儿、事实无人抚养儿童基本生活费")
    DISABLED_LIVING = "disabled_living", _("困难残疾人生活补贴")
    DISABLED_CARE = "disabled_care", _("重度残疾人护理补贴")


SPECIAL_PROGRAMS = (Program.ORPHAN, Program.DISABLED_LIVING, Program.DISABLED_CARE)


def program_choices():
    """The choices of every ``program`` column, as a callable so a new program needs no migration."""
    return Program.choices


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("享受中")
    GRACE = "grace", _("渐退期")
    SUSPENDED = "suspended", _("暂停")
    ENDED = "ended", _("已停止")
