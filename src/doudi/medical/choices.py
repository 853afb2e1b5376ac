from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimKind(models.TextChoices):  # rules.kinds.MEDICAL_KINDS
    OUTPATIENT_CHRONIC = "outpatient_chronic", _("门诊慢特病")
    INPATIENT = "inpatient", _("住院")
    PREMIUM = "premium", _("参保资助")


class ClaimSource(models.TextChoices):
    ENTERED = "entered", _("窗口录入")
    IMPORTED = "imported", _("医保结算文件导入")
    EXCHANGE = "exchange", _("部门数据交换")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待测算")
    EVALUATED = "evaluated", _("已测算待审批")
    APPROVED = "approved", _("已审批待发放")
    REJECTED = "rejected", _("不予救助")
    PAID = "paid", _("已列入发放名册")


class Payee(models.TextChoices):
    PERSON = "person", _("发给救助对象本人")
    INSTITUTION = "institution", _("与医疗机构结算（一站式结算）")
