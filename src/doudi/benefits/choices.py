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


def program_choices():
    """The choices of every ``program`` column, as a callable so a new program needs no migration."""
    return Program.choices


class EntitlementStatus(models.TextChoices):
    ACTIVE = "active", _("享受中")
    GRACE = "grace", _("渐退期")
    SUSPENDED = "suspended", _("暂停")
    ENDED = "ended", _("已停止")
