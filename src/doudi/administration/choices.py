from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待复核")
    SCHEDULED = "scheduled", _("已复核，待生效")
    APPLIED = "applied", _("已生效")
    REJECTED = "rejected", _("已退回")
