from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department


class NeedType(models.TextChoices):
    MEDICAL = "medical", _("医疗救助")
    EDUCATION = "education", _("教育救助")
    HOUSING = "housing", _("住房救助")
    EMPLOYMENT = "employment", _("就业救助")
    DISASTER = "disaster", _("受灾人员救助")
    LEGAL = "legal", _("法律援助")
    OTHER = "other", _("其他")


# 分口施救: each special-assistance need goes to the department responsible for it (S3 ch. 5–10).
RESPONSIBLE_DEPARTMENT: dict[str, str] = {
    NeedType.MEDICAL: Department.MEDICAL_SECURITY,
    NeedType.EDUCATION: Department.EDUCATION,
    NeedType.HOUSING: Department.HOUSING,
    NeedType.EMPLOYMENT: Department.HUMAN_RESOURCES,
    NeedType.DISASTER: Department.EMERGENCY,
    NeedType.LEGAL: Department.CIVIL_AFFAIRS,  # 司法行政 is not a platform department yet; civil affairs forwards
    NeedType.OTHER: Department.CIVIL_AFFAIRS,
}


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已推送")
    RECEIVED = "received", _("已签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已办结反馈")
    DECLINED = "declined", _("不予受理（已说明理由）")


FINAL_STATUSES = frozenset({ReferralStatus.ANSWERED, ReferralStatus.DECLINED})
